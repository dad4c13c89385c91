/**
 * Key cache metrics: hits, misses and keystore loads (counters, summed over every cache the server had — a reload
 * with new cache settings replaces the cache, the counters go on) and the current number of cached keys.
 */
import type { KeyCacheStats } from '@kes/core';
import { Counter, Gauge, type Registry } from 'prom-client';

interface StatsSource {
  stats(): KeyCacheStats;
}

/** Registers the cache families; `current()` is the cache in use now. */
export class CacheMetrics {
  readonly #live = new Set<StatsSource>();
  /** Final counts of caches that were retired. */
  readonly #retired = { hits: 0, misses: 0, loads: 0 };

  constructor(registry: Registry, current: () => StatsSource) {
    const registers = [registry];
    const total = (field: 'hits' | 'misses' | 'loads') => {
      let sum = this.#retired[field];
      for (const cache of this.#live) sum += cache.stats()[field];
      return sum;
    };
    const counter = (name: string, help: string, field: 'hits' | 'misses' | 'loads') => {
      let reported = 0;
      return new Counter({
        name,
        help,
        registers,
        collect() {
          const now = total(field);
          if (now > reported) this.inc(now - reported);
          reported = Math.max(reported, now);
        },
      });
    };
    counter('kes_cache_hits', 'Number of key lookups answered from the key cache.', 'hits');
    counter('kes_cache_misses', 'Number of key lookups the key cache could not answer.', 'misses');
    counter('kes_cache_loads', 'Number of keys the key cache fetched from the keystore.', 'loads');
    // each process has its own cache (of the same keys): a multi-process server reports the largest
    new Gauge({ name: 'kes_cache_size', help: 'Number of keys in the key cache.', registers, aggregator: 'max', collect() { this.set(current().stats().size); } });
  }

  /** Starts counting `cache`. */
  track(cache: StatsSource): void {
    this.#live.add(cache);
  }

  /** Stops counting `cache`, keeping its final counts. */
  retire(cache: StatsSource): void {
    if (!this.#live.delete(cache)) return;
    const s = cache.stats();
    this.#retired.hits += s.hits;
    this.#retired.misses += s.misses;
    this.#retired.loads += s.loads;
  }
}
