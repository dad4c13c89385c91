import { EventEmitter } from 'node:events';
import type { Worker } from 'node:cluster';
import { describe, expect, it } from 'vitest';
import { stopAll } from './stop-workers.js';

/** A worker double: `stop` messages are handled only when `reading`; SIGTERM ends it with `signalExit`. */
function fakeWorker(id: number, opts: { reading: boolean; stopExit?: number; signalExit?: number | null }): Worker & { got: string[] } {
  const w = new EventEmitter() as Worker & { got: string[] };
  let dead = false;
  const exit = (code: number | null) => setImmediate(() => ((dead = true), w.emit('exit', code, code === null ? 'SIGTERM' : null)));
  Object.assign(w, {
    id,
    got: [],
    isDead: () => dead,
    isConnected: () => !dead,
    send: (msg: { kes: string }) => {
      w.got.push(msg.kes);
      if (opts.reading) exit(opts.stopExit ?? 0);
      return true;
    },
    process: { exitCode: null, kill: (signal: string) => (w.got.push(signal), exit(opts.signalExit ?? null)) },
  });
  return w;
}

describe('stopAll', () => {
  it('asks listening workers to drain; a worker still starting is ended with SIGTERM and counts as clean', async () => {
    const serving = fakeWorker(1, { reading: true });
    const starting = fakeWorker(2, { reading: false });
    const live = new Map<number, Worker>([[1, serving], [2, starting]]);
    expect(await stopAll(live, (w) => w === serving)).toBe(true);
    expect(serving.got).toEqual(['stop']);
    expect(starting.got).toEqual(['SIGTERM']);
  });

  it('reports a listening worker that exits with an error', async () => {
    const failing = fakeWorker(1, { reading: true, stopExit: 1 });
    expect(await stopAll(new Map([[1, failing]]), () => true)).toBe(false);
  });
});
