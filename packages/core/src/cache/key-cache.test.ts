import { afterEach, describe, expect, it, vi } from 'vitest';
import { Errors, KesError, isKesError } from '../errors.js';
import type { Keystore } from '../keystore.js';
import { listPage } from '../list.js';
import { KeyCache } from './key-cache.js';

const text = (s: string) => new TextEncoder().encode(s);
const parse = (bytes: Uint8Array) => ({ text: new TextDecoder().decode(bytes) });

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A Map-backed keystore whose methods are spies (so tests can count calls and swap behaviour). */
function fakeKeystore(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial).map(([k, v]) => [k, text(v)]));
  const ks = {
    get: vi.fn(async (name: string, _signal?: AbortSignal): Promise<Uint8Array> => {
      const v = map.get(name);
      if (v === undefined) throw Errors.keyNotFound();
      return v.slice();
    }),
    create: vi.fn(async (name: string, value: Uint8Array) => {
      if (map.has(name)) throw Errors.keyExists();
      map.set(name, value.slice());
    }),
    delete: vi.fn(async (name: string) => {
      if (!map.delete(name)) throw Errors.keyNotFound();
    }),
    list: vi.fn(async (prefix: string, limit: number) => listPage(map.keys(), prefix, limit)),
    status: vi.fn(async () => ({ latencyMs: 1 })),
    close: vi.fn(async () => undefined),
  } satisfies Keystore;
  return { ks, map };
}

const caches: KeyCache<unknown>[] = [];
function cacheOf(ks: Keystore, opts: Partial<ConstructorParameters<typeof KeyCache<{ text: string }>>[1]> = {}) {
  const cache = new KeyCache(ks, { parse, ...opts });
  caches.push(cache);
  return cache;
}
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
});

describe('KeyCache get', () => {
  it('fetches once, then answers from the cache and counts hits and misses', async () => {
    const { ks } = fakeKeystore({ k: 'v' });
    const cache = cacheOf(ks);
    const first = await cache.get('k');
    expect(first).toEqual({ text: 'v' });
    expect(await cache.get('k')).toBe(first);
    expect(ks.get).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, loads: 1, size: 1 });
  });

  it('shares one keystore get among concurrent callers of one name, not across names', async () => {
    const { ks } = fakeKeystore({ a: '1', b: '2' });
    const gate = deferred<void>();
    const original = ks.get.getMockImplementation()!;
    ks.get.mockImplementation(async (name, signal) => {
      await gate.promise;
      return original(name, signal);
    });
    const cache = cacheOf(ks);
    const as = Array.from({ length: 20 }, () => cache.get('a'));
    const bs = Array.from({ length: 5 }, () => cache.get('b'));
    gate.resolve();
    const results = await Promise.all([...as, ...bs]);
    expect(ks.get).toHaveBeenCalledTimes(2);
    expect(new Set(results.slice(0, 20)).size).toBe(1);
    expect(results[20]).toEqual({ text: '2' });
    expect(cache.stats()).toMatchObject({ misses: 25, loads: 2, size: 2 });
  });

  it('passes KEY_NOT_FOUND through and caches nothing', async () => {
    const { ks } = fakeKeystore();
    const cache = cacheOf(ks);
    const err = await cache.get('nope').catch((e: unknown) => e);
    expect(isKesError(err, 'KEY_NOT_FOUND')).toBe(true);
    await expect(cache.get('nope')).rejects.toThrow('key does not exist');
    expect(ks.get).toHaveBeenCalledTimes(2);
    expect(cache.stats().size).toBe(0);
  });

  it('wraps other keystore errors in READ_KEY_FAILED with the cause', async () => {
    const { ks } = fakeKeystore({ k: 'v' });
    const down = Errors.keystoreUnreachable('connection refused');
    ks.get.mockRejectedValueOnce(down);
    ks.get.mockRejectedValueOnce(new TypeError('bug'));
    const cache = cacheOf(ks);
    const e1 = (await cache.get('k').catch((e: unknown) => e)) as KesError;
    expect(e1.code).toBe('READ_KEY_FAILED');
    expect(e1.status).toBe(502);
    expect(e1.message).toBe('failed to read key');
    expect(e1.cause).toBe(down);
    const e2 = (await cache.get('k').catch((e: unknown) => e)) as KesError;
    expect(e2.code).toBe('READ_KEY_FAILED');
    expect(e2.cause).toBeInstanceOf(TypeError);
    expect(await cache.get('k')).toEqual({ text: 'v' });
  });

  it('turns parse errors into READ_KEY_FAILED and does not cache the value', async () => {
    const { ks } = fakeKeystore({ k: 'garbage' });
    const bad = Errors.invalidStoredKey('not base64');
    const cache = cacheOf(ks, {
      parse: () => {
        throw bad;
      },
    });
    for (let i = 0; i < 2; i++) {
      const err = (await cache.get('k').catch((e: unknown) => e)) as KesError;
      expect(err.code).toBe('READ_KEY_FAILED');
      expect(err.cause).toBe(bad);
    }
    expect(ks.get).toHaveBeenCalledTimes(2);
    expect(cache.stats().size).toBe(0);
  });

  it('rejects a caller whose signal aborts, keeps the fetch for other waiters, aborts it when nobody waits', async () => {
    const { ks } = fakeKeystore({ k: 'v' });
    const gate = deferred<Uint8Array>();
    let seen: AbortSignal | undefined;
    ks.get.mockImplementationOnce(async (_name, signal) => {
      seen = signal;
      return gate.promise;
    });
    const cache = cacheOf(ks);
    const c1 = new AbortController();
    const c2 = new AbortController();
    const p1 = cache.get('k', c1.signal);
    const p2 = cache.get('k', c2.signal);
    c1.abort(new Error('gone 1'));
    await expect(p1).rejects.toThrow('gone 1');
    expect(seen?.aborted).toBe(false);
    c2.abort(new Error('gone 2'));
    await expect(p2).rejects.toThrow('gone 2');
    expect(seen?.aborted).toBe(true);
    gate.resolve(text('late'));
    expect(await cache.get('k')).toEqual({ text: 'v' }); // a fresh fetch; the abandoned one was not cached
    expect(ks.get).toHaveBeenCalledTimes(2);
  });

  it('never aborts a fetch that a caller without a signal waits for', async () => {
    const { ks } = fakeKeystore({ k: 'v' });
    const cache = cacheOf(ks);
    const c = new AbortController();
    const plain = cache.get('k');
    const abortable = cache.get('k', c.signal);
    c.abort(new Error('x'));
    await expect(abortable).rejects.toThrow('x');
    expect(await plain).toEqual({ text: 'v' });
    expect((ks.get.mock.calls[0]?.[1] as AbortSignal).aborted).toBe(false);
  });

  it('rejects at once with the reason of an already aborted signal', async () => {
    const { ks } = fakeKeystore({ k: 'v' });
    const cache = cacheOf(ks);
    await expect(cache.get('k', AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
    expect(ks.get).not.toHaveBeenCalled();
  });
});

describe('KeyCache create, delete, list, status', () => {
  it('writes create through without caching, passing errors through', async () => {
    const { ks } = fakeKeystore();
    const cache = cacheOf(ks);
    await cache.create('k', text('v'));
    expect(cache.stats().size).toBe(0);
    await expect(cache.create('k', text('w'))).rejects.toSatisfy((e) => isKesError(e, 'KEY_EXISTS'));
    expect(await cache.get('k')).toEqual({ text: 'v' });
    expect(ks.get).toHaveBeenCalledTimes(1);
  });

  it('evicts on delete, also when the keystore answers KEY_NOT_FOUND, but not on other errors', async () => {
    const { ks, map } = fakeKeystore({ k: 'v' });
    const cache = cacheOf(ks);
    await cache.get('k');
    await cache.delete('k');
    await expect(cache.get('k')).rejects.toSatisfy((e) => isKesError(e, 'KEY_NOT_FOUND'));

    map.set('k', text('v2'));
    await cache.get('k');
    map.delete('k'); // deleted behind the cache's back
    await expect(cache.delete('k')).rejects.toSatisfy((e) => isKesError(e, 'KEY_NOT_FOUND'));
    expect(cache.stats().size).toBe(0);

    map.set('k', text('v3'));
    await cache.get('k');
    const down = Errors.keystoreUnreachable('down');
    ks.delete.mockRejectedValueOnce(down);
    await expect(cache.delete('k')).rejects.toBe(down);
    expect(cache.stats().size).toBe(1);
  });

  it('does not cache the result of a fetch that a delete overtook', async () => {
    const { ks } = fakeKeystore({ k: 'v' });
    const gate = deferred<Uint8Array>();
    ks.get.mockImplementationOnce(() => gate.promise);
    const cache = cacheOf(ks);
    const pending = cache.get('k');
    await cache.delete('k');
    gate.resolve(text('v'));
    expect(await pending).toEqual({ text: 'v' });
    expect(cache.stats().size).toBe(0);
    await expect(cache.get('k')).rejects.toSatisfy((e) => isKesError(e, 'KEY_NOT_FOUND'));
  });

  it('passes list and status through', async () => {
    const { ks } = fakeKeystore({ b: '1', a: '2', c: '3' });
    const cache = cacheOf(ks);
    expect(await cache.list('', 2)).toEqual({ names: ['a', 'b'], continueAt: 'c' });
    expect(ks.list).toHaveBeenCalledWith('', 2, undefined);
    expect(await cache.status()).toEqual({ latencyMs: 1 });
    const failure = Errors.keystoreUnavailable();
    ks.status.mockRejectedValueOnce(failure);
    await expect(cache.status()).rejects.toBe(failure);
  });
});

describe('KeyCache close', () => {
  it('stops its timers, closes the keystore once and rejects later calls', async () => {
    vi.useFakeTimers();
    try {
      const { ks } = fakeKeystore({ k: 'v' });
      const cache = new KeyCache(ks, { parse });
      expect(vi.getTimerCount()).toBe(3); // any, unused/2, status (offline = 0 is off)
      await cache.get('k');
      const closing = cache.close();
      expect(cache.close()).toBe(closing);
      await closing;
      expect(vi.getTimerCount()).toBe(0);
      expect(ks.close).toHaveBeenCalledTimes(1);
      expect(cache.stats().size).toBe(0);
      const err = (await cache.get('k').catch((e: unknown) => e)) as KesError;
      expect(err.code).toBe('READ_KEY_FAILED');
      expect((err.cause as KesError).code).toBe('KEYSTORE_UNREACHABLE');
      for (const call of [cache.create('x', text('y')), cache.delete('k'), cache.list('', 0), cache.status()]) {
        await expect(call).rejects.toSatisfy((e) => isKesError(e, 'KEYSTORE_UNREACHABLE'));
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('aborts fetches in flight', async () => {
    const { ks } = fakeKeystore({ k: 'v' });
    ks.get.mockImplementationOnce(
      (_name, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    );
    const cache = cacheOf(ks);
    const pending = cache.get('k');
    await cache.close();
    const err = (await pending.catch((e: unknown) => e)) as KesError;
    expect(err.code).toBe('READ_KEY_FAILED');
  });

  it('unrefs its timers so they never keep the process alive', async () => {
    const handles: NodeJS.Timeout[] = [];
    const real = globalThis.setInterval;
    const spy = vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms: number) => {
      const h = real(fn, ms);
      handles.push(h);
      return h;
    }) as typeof setInterval);
    try {
      const cache = cacheOf(fakeKeystore().ks, { expiry: { offline: 1000 } });
      expect(handles).toHaveLength(4);
      expect(handles.every((h) => !h.hasRef())).toBe(true);
      await cache.close();
    } finally {
      spy.mockRestore();
    }
  });
});
