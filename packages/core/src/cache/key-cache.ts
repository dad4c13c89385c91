import { Errors, isKesError } from '../errors.js';
import type { Keystore, KeystoreStatus, ListResult } from '../keystore.js';
import {
  DEFAULT_CACHE_EXPIRY,
  DEFAULT_STATUS_INTERVAL_MS,
  type KeyCacheOptions,
  type KeyCacheStats,
} from './options.js';
import { Flight } from './flight.js';

interface Entry<T> {
  value: T;
  used: boolean;
}

/**
 * The key cache in front of a {@link Keystore}, with KES's semantics (spec §8.2):
 *
 * - `get` answers from the cache (marking the entry used) or fetches once per name however many callers ask at the
 *   same time, parses with `options.parse` and caches the result.
 * - Background tasks (unref'ed intervals, stopped by {@link KeyCache.close}): flush everything every `expiry.any`;
 *   every `expiry.unused / 2` evict entries unused since the previous tick and clear the marks of the rest (both only
 *   while online or when `expiry.offline <= 0`); flush everything every `expiry.offline` while offline; probe the
 *   keystore's `status` every `statusIntervalMs` and go offline on an error (or when a probe is still pending at the
 *   next tick), online on success.
 * - `create`, `list` and `status` pass through (no caching); their errors are the keystore's, unchanged.
 *
 * The timers are plain `setInterval`s, so tests drive them with fake timers.
 */
export class KeyCache<T> {
  readonly #keystore: Keystore;
  readonly #parse: (bytes: Uint8Array) => T;
  readonly #entries = new Map<string, Entry<T>>();
  readonly #flights = new Map<string, Flight<T>>();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  readonly #lifetime = new AbortController();
  #offline = false;
  #probing = false;
  #closing: Promise<void> | undefined;
  #hits = 0;
  #misses = 0;
  #loads = 0;

  /**
   * Starts the background tasks at once. Does no I/O until the first call or probe tick.
   * @param keystore - the backend; the cache owns it from now on and closes it in {@link KeyCache.close}.
   */
  constructor(keystore: Keystore, options: KeyCacheOptions<T>) {
    this.#keystore = keystore;
    this.#parse = options.parse;
    const any = options.expiry?.any ?? DEFAULT_CACHE_EXPIRY.any;
    const unused = options.expiry?.unused ?? DEFAULT_CACHE_EXPIRY.unused;
    const offline = options.expiry?.offline ?? DEFAULT_CACHE_EXPIRY.offline;
    const flushAllowed = () => !this.#offline || offline <= 0;
    this.#every(any, () => flushAllowed() && this.#entries.clear());
    this.#every(unused / 2, () => flushAllowed() && this.#sweepUnused());
    this.#every(offline, () => this.#offline && this.#entries.clear());
    this.#every(options.statusIntervalMs ?? DEFAULT_STATUS_INTERVAL_MS, () => this.#probe());
  }

  /** True while the last background probe failed (or is overdue); {@link KeyCache.status} then fails fast. */
  get offline(): boolean {
    return this.#offline;
  }

  /** A snapshot of the counters and the current size. Never throws. */
  stats(): KeyCacheStats {
    return { hits: this.#hits, misses: this.#misses, loads: this.#loads, size: this.#entries.size };
  }

  /**
   * The cached value of `name` (marking it used and counting a hit), or `undefined` when it is not cached — then
   * nothing else happens (no miss is counted, nothing is fetched). Lets a caller skip preparing an abortable
   * {@link get} for the common case of a cached key. Never throws.
   */
  peek(name: string): T | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    entry.used = true;
    this.#hits++;
    return entry.value;
  }

  /**
   * Returns the parsed value of `name` from the cache, or fetches, parses and caches it (one keystore `get` per name at
   * a time; concurrent callers share it). Aborting `signal` rejects this call with `signal.reason`; the shared fetch is
   * aborted only when no caller waits for it any more.
   * @throws KesError `KEY_NOT_FOUND` (the keystore's error, unchanged) when the key does not exist;
   *   `READ_KEY_FAILED` with the keystore or parse error as `cause` for anything else (also after {@link close}).
   */
  async get(name: string, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const entry = this.#entries.get(name);
    if (entry !== undefined) {
      entry.used = true;
      this.#hits++;
      return entry.value;
    }
    this.#misses++;
    if (this.#closing !== undefined) throw Errors.readKeyFailed(closedError());
    const flight = this.#flights.get(name) ?? this.#fetch(name);
    return flight.join(signal, () => {
      // Nobody waits for this fetch any more: it gets aborted, and the next get starts afresh.
      if (this.#flights.get(name) === flight) this.#flights.delete(name);
    });
  }

  /**
   * Writes through to the keystore; nothing is cached.
   * @throws whatever the keystore throws (e.g. `KEY_EXISTS`), unchanged; `KEYSTORE_UNREACHABLE` after {@link close}.
   */
  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.#assertOpen();
    await this.#keystore.create(name, value, signal);
  }

  /**
   * Deletes in the keystore, then evicts the cached entry (also when the keystore answers `KEY_NOT_FOUND`). A fetch of
   * the same name that is still in flight will not cache its result.
   * @throws whatever the keystore throws, unchanged; `KEYSTORE_UNREACHABLE` after {@link close}.
   */
  async delete(name: string, signal?: AbortSignal): Promise<void> {
    this.#assertOpen();
    try {
      await this.#keystore.delete(name, signal);
    } catch (err) {
      if (isKesError(err, 'KEY_NOT_FOUND')) this.#evict(name);
      throw err;
    }
    this.#evict(name);
  }

  /**
   * Passes through to the keystore's `list`.
   * @throws whatever the keystore throws, unchanged; `KEYSTORE_UNREACHABLE` after {@link close}.
   */
  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    this.#assertOpen();
    return this.#keystore.list(prefix, limit, signal);
  }

  /**
   * Passes through to the keystore's `status`, except while {@link offline}.
   * @throws KesError `KEYSTORE_UNREACHABLE` (`kes: keystore unreachable: keystore is offline`) at once while offline or
   *   after {@link close}; otherwise whatever the keystore throws, unchanged.
   */
  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    this.#assertOpen();
    if (this.#offline) throw Errors.keystoreUnreachable('keystore is offline');
    return this.#keystore.status(signal);
  }

  /**
   * Stops the background tasks, aborts fetches in flight, empties the cache and closes the keystore. Idempotent:
   * every call returns the same promise. Rejects only if the keystore's `close` rejects.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      for (const timer of this.#timers) clearInterval(timer);
      this.#timers.length = 0;
      this.#lifetime.abort(closedError());
      for (const flight of this.#flights.values()) {
        flight.stale = true;
        flight.controller.abort(closedError());
      }
      this.#flights.clear();
      this.#entries.clear();
      this.#closing = this.#keystore.close();
    }
    return this.#closing;
  }

  #fetch(name: string): Flight<T> {
    const flight = new Flight<T>();
    this.#flights.set(name, flight);
    flight.promise = this.#load(name, flight);
    flight.promise.catch(() => undefined); // waiters observe the rejection; nobody waiting must not crash the process
    return flight;
  }

  async #load(name: string, flight: Flight<T>): Promise<T> {
    this.#loads++;
    try {
      let bytes: Uint8Array;
      try {
        bytes = await this.#keystore.get(name, flight.controller.signal);
      } catch (err) {
        if (isKesError(err, 'KEY_NOT_FOUND')) throw err;
        throw Errors.readKeyFailed(err);
      }
      let value: T;
      try {
        value = this.#parse(bytes);
      } catch (err) {
        throw Errors.readKeyFailed(err);
      }
      if (!flight.stale) this.#entries.set(name, { value, used: true });
      return value;
    } finally {
      if (this.#flights.get(name) === flight) this.#flights.delete(name);
    }
  }

  #evict(name: string): void {
    this.#entries.delete(name);
    const flight = this.#flights.get(name);
    if (flight !== undefined) {
      flight.stale = true;
      this.#flights.delete(name);
    }
  }

  #sweepUnused(): void {
    for (const [name, entry] of this.#entries) {
      if (entry.used) entry.used = false;
      else this.#entries.delete(name);
    }
  }

  #probe(): void {
    if (this.#probing) {
      this.#offline = true; // the previous probe has not answered within a whole period
      return;
    }
    this.#probing = true;
    const lifetime = this.#lifetime.signal;
    this.#keystore.status(lifetime).then(
      () => {
        if (!lifetime.aborted) this.#offline = false;
      },
      () => {
        if (!lifetime.aborted) this.#offline = true;
      },
    ).finally(() => {
      this.#probing = false;
    });
  }

  #every(periodMs: number, task: () => unknown): void {
    if (!(periodMs > 0) || this.#closing !== undefined) return;
    const timer = setInterval(task, periodMs);
    timer.unref?.();
    this.#timers.push(timer);
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw closedError();
  }
}

function closedError() {
  return Errors.keystoreUnreachable('key cache is closed');
}
