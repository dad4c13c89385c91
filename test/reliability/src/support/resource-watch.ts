/**
 * Watching a server process's resources during an attack: the peak of descriptors and RSS (sampled from /proc), and
 * waiting for them to come back down afterwards.
 */
import type { KesProcess, ProcessFigures } from './kes-process.js';

/** Peaks seen while watching. */
export interface Peaks {
  readonly fds: number;
  readonly rss: number;
  readonly samples: number;
}

/** Samples `kes` every `everyMs` until `stop()` is called; `stop` resolves with the peaks. */
export function watchPeaks(kes: KesProcess, everyMs = 200): { stop(): Peaks } {
  let fds = 0;
  let rss = 0;
  let samples = 0;
  const sample = () => {
    try {
      fds = Math.max(fds, kes.fds());
      rss = Math.max(rss, kes.rss());
      samples++;
    } catch {
      // the process is gone; the scenario notices
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { fds, rss, samples };
    },
  };
}

/**
 * Polls `kes` (with a GC) until its descriptors are at most `baseline.fds + fdSlack` and no connection of it is left in
 * CLOSE-WAIT (closed by its client, not by the server), or `timeoutMs` passes.
 * @returns the last figures (the caller asserts on them).
 */
export async function settle(
  kes: KesProcess,
  baseline: ProcessFigures,
  opts: { fdSlack?: number; timeoutMs?: number } = {},
): Promise<ProcessFigures & { settleMs: number; closeWait: number }> {
  const t0 = performance.now();
  const deadline = t0 + (opts.timeoutMs ?? 15_000);
  let now = await kes.figures({ gc: true });
  let closeWait = kes.closeWaitSockets();
  while ((now.fds > baseline.fds + (opts.fdSlack ?? 4) || closeWait > 0) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    now = await kes.figures({ gc: true });
    closeWait = kes.closeWaitSockets();
  }
  return { ...now, settleMs: Math.round(performance.now() - t0), closeWait };
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}
