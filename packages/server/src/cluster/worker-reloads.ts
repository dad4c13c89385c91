/** The worker's side of coordinated reloads: prepared on request, applied or dropped when the primary says. */
import type { PreparedReload, RunningServer } from '../launch/run-server.js';
import type { ToPrimary, ToWorker } from './messages.js';

/**
 * A worker's side of coordinated reloads (see `reload-coordinator.ts`): prepare on `reload`, apply on `reload-apply`,
 * drop on `reload-drop`; every `reload` and `reload-apply` is answered with a `reload-ack`.
 */
export class WorkerReloads {
  readonly #running: Promise<RunningServer>;
  readonly #send: (msg: ToPrimary) => void;
  readonly #prepared = new Map<number, PreparedReload>();
  #closed = false;

  /**
   * @param running - the worker's server once it runs (rejects when it never will).
   * @param send - sends a message to the primary.
   */
  constructor(running: Promise<RunningServer>, send: (msg: ToPrimary) => void) {
    this.#running = running;
    this.#send = send;
    running.catch(() => undefined);
  }

  /** Prepares reload `m.id` (dropping any earlier prepared one) and acknowledges it. Never rejects. */
  async prepare(m: Extract<ToWorker, { kes: 'reload' }>): Promise<void> {
    if (this.#closed) return;
    const lines: string[] = [];
    try {
      const running = await this.#running;
      await this.#dropAll(); // whatever an earlier, unfinished reload left: the primary moved on
      const prepared = await running.prepareReload(m.kind, m.text, (line) => lines.push(line));
      if (this.#closed) return void (await prepared.discard());
      this.#prepared.set(m.id, prepared);
      this.#send({ kes: 'reload-ack', id: m.id, phase: 'prepare', lines });
    } catch (err) {
      this.#send({ kes: 'reload-ack', id: m.id, phase: 'prepare', lines, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Applies prepared reload `id` and acknowledges it. Never rejects. */
  async apply(id: number): Promise<void> {
    if (this.#closed) return;
    const prepared = this.#prepared.get(id);
    this.#prepared.delete(id);
    try {
      if (prepared === undefined) throw new Error(`reload ${id} was not prepared here`);
      await prepared.apply();
      this.#send({ kes: 'reload-ack', id, phase: 'apply' });
    } catch (err) {
      this.#send({ kes: 'reload-ack', id, phase: 'apply', error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Drops prepared reload `id`. Never rejects. */
  async drop(id: number): Promise<void> {
    const prepared = this.#prepared.get(id);
    this.#prepared.delete(id);
    await prepared?.discard();
  }

  /** The worker stops: drops what was prepared; later requests are not answered (the primary sees the worker exit). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#dropAll();
  }

  async #dropAll(): Promise<void> {
    const all = [...this.#prepared.values()];
    this.#prepared.clear();
    await Promise.all(all.map((p) => p.discard()));
  }
}
