/**
 * A keystore for failure tests: a {@link MemoryKeystore} whose calls can be made to fail like an unreachable backend,
 * fail with an arbitrary error, be slow, or hang until aborted.
 */
import { Errors, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';
import { MemoryKeystore } from '@kes/keystore-memory';

/** How calls behave. */
export type FlakyMode = 'ok' | 'unreachable' | 'broken' | 'hang' | 'slow';

/** A switchable faulty keystore. */
export class FlakyKeystore implements Keystore {
  readonly inner = new MemoryKeystore();
  mode: FlakyMode = 'ok';
  /** Delay of every call in mode `slow`, in milliseconds. */
  delayMs = 300;
  closed = false;

  async #gate(signal?: AbortSignal): Promise<void> {
    if (this.mode === 'unreachable') throw Errors.keystoreUnreachable('connection refused');
    if (this.mode === 'broken') throw new Error('backend exploded');
    if (this.mode === 'slow') await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.mode === 'hang') {
      await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }
  }

  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.#gate(signal);
    return this.inner.create(name, value, signal);
  }

  async get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    await this.#gate(signal);
    return this.inner.get(name, signal);
  }

  async delete(name: string, signal?: AbortSignal): Promise<void> {
    await this.#gate(signal);
    return this.inner.delete(name, signal);
  }

  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    await this.#gate(signal);
    return this.inner.list(prefix, limit, signal);
  }

  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    await this.#gate(signal);
    return this.inner.status(signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inner.close();
  }
}
