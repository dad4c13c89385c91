import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReloadQueue, type ReloadKind } from './reload-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A queue whose reloads finish when the test says so. */
function controlled(outcome: (kind: ReloadKind, n: number) => boolean | Error = () => true) {
  const runs: ReloadKind[] = [];
  let active = 0;
  let maxActive = 0;
  const finishers: Array<() => void> = [];
  const queue = new ReloadQueue(async (kind) => {
    const n = runs.push(kind);
    maxActive = Math.max(maxActive, ++active);
    await new Promise<void>((r) => finishers.push(r));
    active--;
    const result = outcome(kind, n);
    if (result instanceof Error) throw result;
    return result;
  });
  const finishOne = async () => {
    while (finishers.length === 0) await tick();
    finishers.shift()!();
    await tick();
  };
  return { queue, runs, finishOne, maxActive: () => maxActive };
}

describe('ReloadQueue', () => {
  it('runs one reload at a time and merges every request during one into one more', async () => {
    const { queue, runs, finishOne, maxActive } = controlled();
    const first = queue.request('config');
    await tick();
    const during = Array.from({ length: 200 }, () => queue.request('config'));
    await finishOne();
    expect(await first).toBe(true);
    expect(runs).toEqual(['config', 'config']);
    await finishOne();
    expect(await Promise.all(during)).toEqual(Array(200).fill(true));
    expect(runs).toHaveLength(2);
    expect(maxActive()).toBe(1);
  });

  it('a config reload covers the TLS re-reads asked for with it; alone, a TLS re-read stays one', async () => {
    const { queue, runs, finishOne } = controlled();
    const a = queue.request('tls');
    await tick();
    const b = queue.request('tls');
    const c = queue.request('config');
    const d = queue.request('tls');
    await finishOne();
    await finishOne();
    expect(await Promise.all([a, b, c, d])).toEqual([true, true, true, true]);
    expect(runs).toEqual(['tls', 'config']);
  });

  it('a failed or throwing reload answers false to its requests and does not stop the next', async () => {
    const { queue, finishOne } = controlled((_, n) => (n === 1 ? new Error('boom') : n === 2 ? false : true));
    const results = [queue.request('config')];
    await tick();
    results.push(queue.request('config'));
    await finishOne();
    await finishOne();
    expect(await Promise.all(results)).toEqual([false, false]);
    const third = queue.request('tls');
    await finishOne();
    expect(await third).toBe(true);
  });

  it('runs exclusive tasks between reloads, never during one; idle() waits for all', async () => {
    const { queue, runs, finishOne } = controlled();
    const order: string[] = [];
    void queue.request('config').then(() => order.push('reload 1'));
    await tick();
    void queue.exclusive(async () => void order.push(`task (reloads started: ${runs.length})`));
    void queue.request('config').then(() => order.push('reload 2'));
    const idle = queue.idle().then(() => order.push('idle'));
    await finishOne();
    await finishOne();
    await idle;
    expect(order).toEqual(['reload 1', 'task (reloads started: 1)', 'reload 2', 'idle']);
    await expect(queue.exclusive(async () => Promise.reject(new Error('task failed')))).rejects.toThrow('task failed');
    const after = queue.request('tls'); // a failed task does not block the queue
    await finishOne();
    expect(await after).toBe(true);
  });

  it('never runs two reloads at once and answers every request (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom<ReloadKind>('config', 'tls'), fc.nat(3)), { maxLength: 40 }), async (requests) => {
        let active = 0;
        let overlapped = false;
        const queue = new ReloadQueue(async () => {
          if (++active > 1) overlapped = true;
          await tick();
          active--;
          return true;
        });
        const answers: Array<Promise<boolean>> = [];
        for (const [kind, waits] of requests) {
          answers.push(queue.request(kind));
          for (let i = 0; i < waits; i++) await tick();
        }
        expect(await Promise.all(answers)).toEqual(requests.map(() => true));
        expect(overlapped).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});
