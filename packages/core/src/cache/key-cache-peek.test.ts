import { afterEach, describe, expect, it, vi } from 'vitest';
import { Errors } from '../errors.js';
import type { Keystore } from '../keystore.js';
import { KeyCache } from './key-cache.js';

const caches: KeyCache<unknown>[] = [];
afterEach(async () => {
  for (const c of caches.splice(0)) await c.close();
});

function cacheOver(values: Record<string, string>) {
  const ks = {
    get: vi.fn(async (name: string) => {
      if (!(name in values)) throw Errors.keyNotFound();
      return new TextEncoder().encode(values[name]);
    }),
    create: vi.fn(async () => undefined),
    delete: vi.fn(async () => undefined),
    list: vi.fn(async () => ({ names: [], continueAt: '' })),
    status: vi.fn(async () => ({ latencyMs: 1 })),
    close: vi.fn(async () => undefined),
  } satisfies Keystore;
  const cache = new KeyCache(ks, { parse: (b) => new TextDecoder().decode(b) });
  caches.push(cache);
  return { cache, ks };
}

describe('KeyCache.peek', () => {
  it('answers only from the cache: no fetch, no miss counted; a hit counts and marks the entry used', async () => {
    const { cache, ks } = cacheOver({ k: 'v' });
    expect(cache.peek('k')).toBeUndefined();
    expect(ks.get).not.toHaveBeenCalled();
    expect(cache.stats()).toEqual({ hits: 0, misses: 0, loads: 0, size: 0 });
    expect(await cache.get('k')).toBe('v');
    expect(cache.peek('k')).toBe('v');
    expect(cache.peek('missing')).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, loads: 1, size: 1 });
    expect(ks.get).toHaveBeenCalledTimes(1);
  });
});
