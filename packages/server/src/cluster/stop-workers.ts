/** Stopping the workers of a multi-process server: each drains like one process does, within a bound. */
import type { Worker } from 'node:cluster';
import type { ToWorker } from './messages.js';

/** How long a stop waits for the workers to drain before they are killed. */
export const STOP_TIMEOUT_MS = 15_000;

/**
 * Asks every worker to drain and exit; kills what is left after {@link STOP_TIMEOUT_MS}.
 * A worker that is not listening yet (a replacement still loading) has served nothing and may not be reading its
 * messages yet (a message sent before its listener exists is lost): it is ended with SIGTERM, and however it exits
 * counts as clean.
 * @param isListening - whether a worker has started listening.
 * @returns whether every listening worker exited with 0.
 */
export async function stopAll(live: Map<number, Worker>, isListening: (worker: Worker) => boolean): Promise<boolean> {
  const exits = [...live.values()].map(
    (worker) =>
      new Promise<boolean>((done) => {
        const served = isListening(worker);
        if (worker.isDead()) return done(!served || worker.process.exitCode === 0);
        worker.once('exit', (code) => done(!served || code === 0));
        if (served && worker.isConnected()) worker.send({ kes: 'stop' } satisfies ToWorker);
        else worker.process.kill('SIGTERM');
      }),
  );
  const timer = setTimeout(() => {
    for (const worker of live.values()) if (!worker.isDead()) worker.process.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  const results = await Promise.all(exits);
  clearTimeout(timer);
  return results.every(Boolean);
}
