/**
 * One in-progress fetch that every concurrent caller asking for the same thing shares (the cache's per-name
 * single-flight). Internal to the cache.
 */
export class Flight<T> {
  /** Aborted when the last abortable waiter leaves (and no waiter without a signal exists), or by the owner. */
  readonly controller = new AbortController();
  /** Settles with the fetched value; the owner assigns it right after construction. */
  promise!: Promise<T>;
  /** Set by the owner when the fetched value must not be cached (deleted or closed meanwhile, abandoned). */
  stale = false;
  /** True once a caller without an AbortSignal waits: such a fetch is never aborted by waiters leaving. */
  #pinned = false;
  /** Callers with an AbortSignal still waiting. */
  #waiters = 0;

  /**
   * Waits for the shared result. If `signal` aborts first, this call rejects with `signal.reason`; when that leaves no
   * waiter, `onAbandon` runs, the flight becomes stale and its controller is aborted with the same reason.
   * @returns the shared value; rejects with the shared error or the caller's abort reason.
   */
  join(signal: AbortSignal | undefined, onAbandon: () => void): Promise<T> {
    if (signal === undefined) {
      this.#pinned = true;
      return this.promise;
    }
    this.#waiters++;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        signal.removeEventListener('abort', onAbort);
        this.#waiters--;
      };
      const onAbort = () => {
        leave();
        if (!this.#pinned && this.#waiters === 0) {
          onAbandon();
          this.stale = true;
          this.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.promise.then(
        (value) => {
          if (signal.aborted) return;
          leave();
          resolve(value);
        },
        (err: unknown) => {
          if (signal.aborted) return;
          leave();
          reject(err);
        },
      );
    });
  }
}
