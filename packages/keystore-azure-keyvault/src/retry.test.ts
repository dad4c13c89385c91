import { describe, expect, it } from 'vitest';
import { AttemptTimeoutError, BudgetExhaustedError } from './classify.js';
import { attempt, backoff, budgetOf, DEFAULT_TIMING, withRetries, type AzureKeyVaultTiming } from './retry.js';
import { VaultHttpError } from './vault-http-error.js';

const throttled = (retryAfterMs?: number) =>
  new VaultHttpError(429, 'GET', 'https://v/secrets/x', '{"error":{"code":"Throttled","message":"slow down"}}', retryAfterMs);
const timing = (t: Partial<AzureKeyVaultTiming> = {}): AzureKeyVaultTiming => ({ ...DEFAULT_TIMING, backoffBaseMs: 10, backoffMaxMs: 40, ...t });

/** A call that fails with the given errors in turn, then resolves with the number of calls. */
function failing(errors: unknown[]) {
  let calls = 0;
  const fn = async () => {
    const err = errors[calls++];
    if (err !== undefined) throw err;
    return calls;
  };
  return { fn, calls: () => calls };
}

describe('withRetries', () => {
  it('retries 429 without Retry-After with backoff, and 429 with Retry-After after that long', async () => {
    const f = failing([throttled(), throttled(), throttled(150)]);
    const started = performance.now();
    expect(await withRetries(f.fn, budgetOf(5000, undefined), timing())).toBe(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('gives up at once when Retry-After does not fit the budget (the call ends inside its budget)', async () => {
    const f = failing([throttled(30_000)]);
    const started = performance.now();
    await expect(withRetries(f.fn, budgetOf(2000, undefined), timing())).rejects.toMatchObject({ statusCode: 429 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(f.calls()).toBe(1);
  });

  it('stops after the configured number of retries per kind', async () => {
    const f = failing(Array.from({ length: 20 }, () => throttled()));
    await expect(withRetries(f.fn, budgetOf(10_000, undefined), timing({ throttleRetries: 3 }))).rejects.toMatchObject({ statusCode: 429 });
    expect(f.calls()).toBe(4);
    const g = failing(Array.from({ length: 20 }, () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    await expect(withRetries(g.fn, budgetOf(10_000, undefined), timing({ networkRetries: 1 }))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(g.calls()).toBe(2);
  });

  it('does not retry answers that will not change (404, 403, 409)', async () => {
    for (const status of [404, 403, 409, 400]) {
      const f = failing([new VaultHttpError(status, 'GET', 'u', undefined, undefined)]);
      await expect(withRetries(f.fn, budgetOf(5000, undefined), timing())).rejects.toMatchObject({ statusCode: status });
      expect(f.calls()).toBe(1);
    }
  });

  it('never outlives its budget, however long the service keeps throttling', async () => {
    const fn = async () => {
      throw throttled();
    };
    const started = performance.now();
    await expect(withRetries(fn, budgetOf(300, undefined), timing({ throttleRetries: 1000 }))).rejects.toMatchObject({ statusCode: 429 });
    expect(performance.now() - started).toBeLessThan(400);
  });

  it('rejects with the caller abort reason, during an attempt and during a backoff', async () => {
    const reason = new Error('caller gone');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    await expect(withRetries(() => new Promise(() => undefined), budgetOf(5000, controller.signal), timing())).rejects.toBe(reason);
    const c2 = new AbortController();
    setTimeout(() => c2.abort(reason), 50);
    await expect(withRetries(async () => Promise.reject(throttled(2000)), budgetOf(5000, c2.signal), timing())).rejects.toBe(reason);
  });
});

describe('attempt', () => {
  it('times out an attempt that never settles, even when the callee ignores its signal', async () => {
    const started = performance.now();
    await expect(attempt(() => new Promise(() => undefined), budgetOf(5000, undefined), 80)).rejects.toBeInstanceOf(AttemptTimeoutError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('starts nothing once the budget is used up', async () => {
    let called = false;
    await expect(
      attempt(
        async () => {
          called = true;
        },
        budgetOf(0, undefined),
        100,
      ),
    ).rejects.toBeInstanceOf(BudgetExhaustedError);
    expect(called).toBe(false);
  });
});

describe('backoff', () => {
  it('doubles from the base, is jittered between half and all, and is capped', () => {
    const t = { backoffBaseMs: 100, backoffMaxMs: 1000 };
    expect([0, 1, 2, 3, 10].map((r) => backoff(r, t, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([0, 1, 10].map((r) => backoff(r, t, () => 0))).toEqual([50, 100, 500]);
  });
});
