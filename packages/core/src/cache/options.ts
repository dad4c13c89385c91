/**
 * Expiry periods of a {@link KeyCache} in milliseconds (spec §8.2). Each is the period of a fixed ticker, not a per-entry
 * TTL; a period `<= 0` disables that task.
 */
export interface KeyCacheExpiry {
  /** Every `any` ms the whole cache is flushed (unless offline with offline caching on). @default 300000 (5 m) */
  any?: number;
  /**
   * Every `unused / 2` ms entries not used since the previous tick are evicted (unless offline with offline caching
   * on), so an unused key lives between `unused / 2` and `unused` ms. @default 30000 (30 s)
   */
  unused?: number;
  /** While the keystore is offline, the whole cache is flushed every `offline` ms. @default 0 (off) */
  offline?: number;
}

/** Options of a {@link KeyCache}. */
export interface KeyCacheOptions<T> {
  /**
   * Turns the stored bytes into the cached value (the server passes `decodeStoredKey`). Whatever it throws becomes
   * `Errors.readKeyFailed(cause)`; a value that fails to parse is never cached.
   */
  parse: (bytes: Uint8Array) => T;
  /** Expiry periods; omitted fields take the documented KES defaults ({@link DEFAULT_CACHE_EXPIRY}). */
  expiry?: KeyCacheExpiry;
  /** Period of the background `status()` probe that sets {@link KeyCache.offline}; `<= 0` disables it. @default 10000 */
  statusIntervalMs?: number;
}

/** Counters of a {@link KeyCache} (cheap snapshot; counters only grow). */
export interface KeyCacheStats {
  /** `get` calls answered from the cache. */
  hits: number;
  /** `get` calls that were not in the cache (including those that joined another call's fetch). */
  misses: number;
  /** Keystore `get` calls the cache issued (at most one at a time per name). */
  loads: number;
  /** Entries currently cached. */
  size: number;
}

/** The documented KES cache defaults (spec §8.3, §12): any = 5 m, unused = 30 s, offline = 0 (off). */
export const DEFAULT_CACHE_EXPIRY: Readonly<Required<KeyCacheExpiry>> = Object.freeze({
  any: 5 * 60_000,
  unused: 30_000,
  offline: 0,
});

/** Period of KES's keystore health probe (spec §8.2): 10 s. */
export const DEFAULT_STATUS_INTERVAL_MS = 10_000;
