import { Errors, listPage, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';

/**
 * A {@link Keystore} that keeps its entries in process memory (KES's `MemKeyStore`): for tests, `--dev` mode and as
 * the reference implementation of the contract.
 *
 * - Values are copied on the way in and out, so neither the caller's array nor a returned one aliases the store.
 * - Names are opaque: any string is accepted (the server validates names before they reach a keystore).
 * - `list` uses {@link listPage} (byte order, 1024 cap for `limit <= 0`); `status` reports 1 ms, as KES does.
 * - Every call first honours an already aborted signal (rejecting with `signal.reason`).
 * - After {@link MemoryKeystore.close} the entries are dropped and every call except `close` rejects with
 *   `KEYSTORE_UNREACHABLE` (`kes: keystore unreachable: memory: keystore is closed`), so use after close is loud.
 */
export class MemoryKeystore implements Keystore {
  readonly #entries = new Map<string, Uint8Array>();
  #closed = false;

  /**
   * Stores a copy of `value` iff `name` is absent.
   * @throws KesError `KEY_EXISTS` when taken; `KEYSTORE_UNREACHABLE` after close.
   */
  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.#check(signal);
    if (this.#entries.has(name)) throw Errors.keyExists();
    this.#entries.set(name, new Uint8Array(value));
  }

  /**
   * @returns a fresh copy of the value.
   * @throws KesError `KEY_NOT_FOUND` when absent; `KEYSTORE_UNREACHABLE` after close.
   */
  async get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    this.#check(signal);
    const value = this.#entries.get(name);
    if (value === undefined) throw Errors.keyNotFound();
    return new Uint8Array(value);
  }

  /** @throws KesError `KEY_NOT_FOUND` when absent; `KEYSTORE_UNREACHABLE` after close. */
  async delete(name: string, signal?: AbortSignal): Promise<void> {
    this.#check(signal);
    if (!this.#entries.delete(name)) throw Errors.keyNotFound();
  }

  /** One page of names, see {@link listPage}. @throws KesError `KEYSTORE_UNREACHABLE` after close. */
  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    this.#check(signal);
    return listPage(this.#entries.keys(), prefix, limit);
  }

  /** @returns `{ latencyMs: 1 }`. @throws KesError `KEYSTORE_UNREACHABLE` after close. */
  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    this.#check(signal);
    return { latencyMs: 1 };
  }

  /** Drops every entry; later calls reject. Idempotent, never rejects. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#entries.clear();
  }

  #check(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (this.#closed) throw Errors.keystoreUnreachable('memory: keystore is closed');
  }
}
