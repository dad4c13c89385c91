/**
 * The primary's side of the log streams of a multi-process server: which workers have subscribers of which stream,
 * telling each worker whether another one wants its lines, and forwarding each line to the workers with subscribers.
 * Nothing crosses the processes while nobody subscribes.
 */
import cluster, { type Worker } from 'node:cluster';
import type { StreamName, ToWorker } from './messages.js';

/** Subscriber bookkeeping and forwarding. */
export class LogRelay {
  readonly #counts: Record<StreamName, Map<Worker, number>> = { audit: new Map(), error: new Map() };
  readonly #told: Record<StreamName, Map<Worker, boolean>> = { audit: new Map(), error: new Map() };

  /** `worker` now has `count` subscribers of `stream`. */
  count(worker: Worker, stream: StreamName, count: number): void {
    if (count > 0) this.#counts[stream].set(worker, count);
    else this.#counts[stream].delete(worker);
    this.#update(stream);
  }

  /** `worker` just started: tell it whether others have subscribers. */
  joined(worker: Worker): void {
    this.#update('audit');
    this.#update('error');
    void worker;
  }

  /** `worker` is gone. */
  gone(worker: Worker): void {
    for (const stream of ['audit', 'error'] as const) {
      this.#counts[stream].delete(worker);
      this.#told[stream].delete(worker);
      this.#update(stream);
    }
  }

  /** Sends `line` of `stream`, published by `from`, to every other worker with subscribers. */
  forward(from: Worker, stream: StreamName, line: string): void {
    for (const worker of this.#counts[stream].keys()) {
      if (worker !== from && worker.isConnected()) worker.send({ kes: 'log', stream, line } satisfies ToWorker);
    }
  }

  /** Tells each worker whether some other worker has subscribers of `stream` (only when that changed). */
  #update(stream: StreamName): void {
    const counts = this.#counts[stream];
    const told = this.#told[stream];
    // every live worker: those without subscribers must hear about subscribers elsewhere as well
    const workers = new Set<Worker>([...counts.keys(), ...told.keys()]);
    for (const worker of Object.values(cluster.workers ?? {})) if (worker !== undefined) workers.add(worker);
    for (const worker of workers) {
      const wanted = [...counts.keys()].some((w) => w !== worker);
      if ((told.get(worker) ?? false) === wanted) continue;
      told.set(worker, wanted);
      if (worker.isConnected()) worker.send({ kes: 'log-wanted', stream, wanted } satisfies ToWorker);
    }
  }
}
