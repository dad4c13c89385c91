import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Errors, type KesError } from '../errors.js';
import type { Keystore } from '../keystore.js';
import { KeyCache } from './key-cache.js';
import { DEFAULT_CACHE_EXPIRY, DEFAULT_STATUS_INTERVAL_MS, type KeyCacheOptions } from './options.js';

const parse = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A keystore holding the keys `a` and `b`, with spies to count calls and to script `status`. */
function fakeKeystore() {
  return {
    get: vi.fn(async (name: string): Promise<Uint8Array> => {
      if (name !== 'a' && name !== 'b') throw Errors.keyNotFound();
      return new TextEncoder().encode(`value of ${name}`);
    }),
    create: vi.fn(async () => undefined),
    delete: vi.fn(async () => undefined),
    list: vi.fn(async () => ({ names: [], continueAt: '' })),
    status: vi.fn(async () => ({ latencyMs: 1 })),
    close: vi.fn(async () => undefined),
  } satisfies Keystore;
}

let cache: KeyCache<string> | undefined;
function cacheOf(ks: Keystore, opts: Omit<KeyCacheOptions<string>, 'parse'>) {
  cache = new KeyCache(ks, { parse, ...opts });
  return cache;
}
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  await cache?.close();
  cache = undefined;
  vi.useRealTimers();
});

describe('KeyCache expiry', () => {
  it('flushes everything every `any`, used or not', async () => {
    const c = cacheOf(fakeKeystore(), { expiry: { any: 1000, unused: 0 }, statusIntervalMs: 0 });
    await c.get('a');
    await advance(999);
    await c.get('a');
    expect(c.stats().size).toBe(1);
    await advance(1);
    expect(c.stats().size).toBe(0);
  });

  it('evicts an entry unused for a whole unused/2 tick and keeps used ones', async () => {
    const ks = fakeKeystore();
    const c = cacheOf(ks, { expiry: { any: 0, unused: 1000 }, statusIntervalMs: 0 });
    await c.get('a');
    await c.get('b');
    await advance(500); // tick 1: both were used → marks cleared
    expect(c.stats().size).toBe(2);
    await c.get('a'); // a is used again
    await advance(500); // tick 2: b unused since tick 1 → evicted
    expect(c.stats().size).toBe(1);
    await c.get('a');
    expect(ks.get).toHaveBeenCalledTimes(2);
    await advance(1000); // two ticks without use
    expect(c.stats().size).toBe(0);
  });

  it('uses the documented defaults: unused 30 s, any 5 m, status every 10 s', async () => {
    expect(DEFAULT_CACHE_EXPIRY).toEqual({ any: 300_000, unused: 30_000, offline: 0 });
    expect(DEFAULT_STATUS_INTERVAL_MS).toBe(10_000);
    const ks = fakeKeystore();
    const c = cacheOf(ks, {});
    await c.get('a');
    await advance(30_000);
    expect(c.stats().size).toBe(0); // unused for a whole 15 s tick
    for (let t = 0; t < 290_000; t += 10_000) {
      await c.get('a');
      await advance(10_000);
    }
    expect(c.stats().size).toBe(1); // t = 320 s: kept alive by use; the 5 m flush at 300 s forced the third load
    expect(ks.get.mock.calls.length).toBe(3);
    expect(ks.status).toHaveBeenCalledTimes(32);
  });

  it('treats a period <= 0 as "off"', () => {
    cacheOf(fakeKeystore(), { expiry: { any: 0, unused: -1, offline: 0 }, statusIntervalMs: -5 });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('KeyCache offline handling', () => {
  it('goes offline when the probe fails, fails status fast, and keeps flushing when offline = 0', async () => {
    const ks = fakeKeystore();
    ks.status.mockRejectedValue(Errors.keystoreUnreachable('connection refused'));
    const c = cacheOf(ks, { expiry: { any: 20_000, unused: 0, offline: 0 } });
    await c.get('a');
    expect(c.offline).toBe(false);
    await advance(10_000);
    expect(c.offline).toBe(true);
    const err = (await c.status().catch((e: unknown) => e)) as KesError;
    expect(err.code).toBe('KEYSTORE_UNREACHABLE');
    expect(err.message).toBe('kes: keystore unreachable: keystore is offline');
    expect(ks.status).toHaveBeenCalledTimes(1); // only the probe asked the keystore
    await advance(10_000);
    expect(c.stats().size).toBe(0);

    ks.status.mockResolvedValue({ latencyMs: 2 });
    await advance(10_000);
    expect(c.offline).toBe(false);
    expect(await c.status()).toEqual({ latencyMs: 2 });
  });

  it('with offline > 0 keeps entries while offline until the offline flush', async () => {
    const ks = fakeKeystore();
    ks.status.mockRejectedValue(new Error('sealed'));
    const c = cacheOf(ks, { expiry: { any: 1000, unused: 1000, offline: 60_000 }, statusIntervalMs: 100 });
    await advance(100);
    expect(c.offline).toBe(true);
    await c.get('a');
    await advance(59_000); // many any/unused ticks, all skipped while offline
    expect(c.stats().size).toBe(1);
    await advance(900); // t = 60 000: the offline flush
    expect(c.stats().size).toBe(0);

    ks.status.mockResolvedValue({ latencyMs: 1 });
    await c.get('a');
    await advance(100);
    expect(c.offline).toBe(false);
    await advance(1000); // the any flush runs again once online
    expect(c.stats().size).toBe(0);
  });

  it('goes offline when a probe is still pending at the next tick', async () => {
    const ks = fakeKeystore();
    let answer!: () => void;
    ks.status.mockImplementationOnce(() => new Promise((resolve) => (answer = () => resolve({ latencyMs: 9000 }))));
    const c = cacheOf(ks, { statusIntervalMs: 1000 });
    await advance(1000);
    expect(c.offline).toBe(false);
    await advance(1000);
    expect(c.offline).toBe(true);
    expect(ks.status).toHaveBeenCalledTimes(1); // no pile-up of probes
    answer();
    await advance(0);
    expect(c.offline).toBe(false);
  });

  it('still fetches uncached keys while offline and reports their failure as READ_KEY_FAILED', async () => {
    const ks = fakeKeystore();
    const down = Errors.keystoreUnreachable('dial tcp: timeout');
    ks.status.mockRejectedValue(down);
    const c = cacheOf(ks, { statusIntervalMs: 1000 });
    await c.get('a');
    await advance(1000);
    ks.get.mockRejectedValue(down);
    expect(await c.get('a')).toBe('value of a');
    const err = (await c.get('b').catch((e: unknown) => e)) as KesError;
    expect(err.code).toBe('READ_KEY_FAILED');
    expect(err.cause).toBe(down);
  });
});
