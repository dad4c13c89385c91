/**
 * Keystore call metrics: how often the server called its keystore, by operation and outcome, and how long each call
 * took. Cached keys cost no keystore call, so these show cache misses, writes, listings and the readiness probes.
 */
import { isKesError, type Keystore } from '@kes/core';
import { Counter, Histogram, type Registry } from 'prom-client';

/** A keystore operation. */
export type KeystoreOperation = 'create' | 'get' | 'delete' | 'list' | 'status';

/** Outcome of a call: `ok`, a definite answer (`not_found`, `exists`), the caller went away (`canceled`), or `error`. */
export type KeystoreResult = 'ok' | 'not_found' | 'exists' | 'canceled' | 'error';

/** Buckets of `kes_keystore_call_time` in seconds (a local disk answers in µs, a cloud KMS in tens of ms). */
export const KEYSTORE_TIME_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The keystore families of one registry. */
export class KeystoreMetrics {
  readonly #calls: Counter<'operation' | 'result'>;
  readonly #time: Histogram<'operation'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#calls = new Counter({ name: 'kes_keystore_calls', help: 'Number of keystore calls by operation and result.', labelNames: ['operation', 'result'], registers });
    this.#time = new Histogram({ name: 'kes_keystore_call_time', help: 'Duration of keystore calls by operation, in seconds.', labelNames: ['operation'], buckets: KEYSTORE_TIME_BUCKETS, registers });
  }

  /** Records one finished call. */
  observe(operation: KeystoreOperation, result: KeystoreResult, seconds: number): void {
    this.#calls.inc({ operation, result });
    this.#time.observe({ operation }, seconds);
  }
}

function resultOf(err: unknown, signal: AbortSignal | undefined): KeystoreResult {
  if (signal?.aborted) return 'canceled';
  if (isKesError(err, 'KEY_NOT_FOUND')) return 'not_found';
  if (isKesError(err, 'KEY_EXISTS')) return 'exists';
  return 'error';
}

/**
 * `keystore` with every call counted and timed in `metrics`; results and errors pass through unchanged, and
 * `close()` is not metered.
 */
export function meteredKeystore(keystore: Keystore, metrics: KeystoreMetrics): Keystore {
  const meter = async <T>(operation: KeystoreOperation, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const value = await call();
      metrics.observe(operation, 'ok', (performance.now() - started) / 1000);
      return value;
    } catch (err) {
      metrics.observe(operation, resultOf(err, signal), (performance.now() - started) / 1000);
      throw err;
    }
  };
  return {
    create: (name, value, signal) => meter('create', signal, () => keystore.create(name, value, signal)),
    get: (name, signal) => meter('get', signal, () => keystore.get(name, signal)),
    delete: (name, signal) => meter('delete', signal, () => keystore.delete(name, signal)),
    list: (prefix, limit, signal) => meter('list', signal, () => keystore.list(prefix, limit, signal)),
    status: (signal) => meter('status', signal, () => keystore.status(signal)),
    close: () => keystore.close(),
  };
}
