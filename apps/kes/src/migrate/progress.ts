/**
 * Progress of `kes migrate`: a progress bar with counts, rate and ETA on a terminal (cli-progress), plain
 * `Migrated n/total keys` lines otherwise (every 5 % of the keys or every 2 s, whichever comes first).
 */
import { Presets, SingleBar } from 'cli-progress';
import type { OutputStream } from '../cli/io.js';

/** Receives progress events. */
export interface Progress {
  start(total: number): void;
  /** One more key handled. */
  tick(): void;
  /** Ends the display (the bar stays on screen at its final state). */
  stop(): void;
}

function rate(done: number, startedAt: number): string {
  const seconds = (performance.now() - startedAt) / 1000;
  return (seconds > 0 ? done / seconds : 0).toFixed(1);
}

/** The terminal bar. `out` is treated as a terminal even when `KES_FORCE_TTY` forced that. */
export function barProgress(out: OutputStream): Progress {
  const stream = {
    isTTY: true,
    columns: out.columns ?? 100,
    write: (chunk: string) => out.write(chunk),
  } as unknown as NodeJS.WritableStream;
  const bar = new SingleBar(
    {
      format: 'Migrating {bar} {percentage}% | {value}/{total} keys | {rate} keys/s | ETA {eta_formatted}',
      stream,
      hideCursor: true,
      gracefulExit: false,
      barsize: 30,
      fps: 10,
      etaBuffer: 100,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let done = 0;
  let startedAt = 0;
  return {
    start(total) {
      startedAt = performance.now();
      bar.start(total, 0, { rate: '0.0' });
    },
    tick() {
      done++;
      bar.update(done, { rate: rate(done, startedAt) });
    },
    stop() {
      bar.update(done, { rate: rate(done, startedAt) });
      bar.stop();
    },
  };
}

/** Plain progress lines. */
export function lineProgress(out: OutputStream): Progress {
  let total = 0;
  let done = 0;
  let step = 1;
  let startedAt = 0;
  let lastLine = 0;
  let lastDone = -1;
  const print = (): void => {
    lastLine = performance.now();
    lastDone = done;
    out.write(`Migrated ${done}/${total} keys (${rate(done, startedAt)} keys/s)\n`);
  };
  return {
    start(n) {
      total = n;
      step = Math.max(1, Math.ceil(n / 20));
      startedAt = lastLine = performance.now();
      lastDone = 0;
    },
    tick() {
      done++;
      if (done % step === 0 || performance.now() - lastLine >= 2000) print();
    },
    stop() {
      if (lastDone !== done) print();
    },
  };
}
