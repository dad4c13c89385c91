/** Stopping the workers of a multi-process server: each drains like one process does, within a bound. */
import type { Worker } from 'node:cluster';
import type { ToWorker } from './messages.js';

/** How long a stop waits for the workers to drain before they are killed. */
export const STOP_TIMEOUT_MS = 15_000;

/** Asks every worker to drain and exit; kills what is left after {@link STOP_TIMEOUT_MS}. @returns whether all exited with 0. */
export async function stopAll(live: Map<number, Worker>): Promise<boolean> {
  const exits = [...live.values()].map(
    (worker) =>
      new Promise<boolean>((done) => {
        if (worker.isDead()) return done(worker.process.exitCode === 0);
        worker.once('exit', (code) => done(code === 0));
        if (worker.isConnected()) worker.send({ kes: 'stop' } satisfies ToWorker);
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
