/**
 * A request's abort source whose `AbortSignal` exists only once something asks for it: creating an `AbortSignal` and
 * listening on it costs several microseconds in Node 20, which a request served from the key cache never needs —
 * the pipeline and the body reader listen here instead, and keystore calls get the real signal when they happen.
 */

/** See the module description. */
export class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #listeners: Array<(reason: unknown) => void> | undefined;

  /** Whether {@link abort} was called. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** The reason given to {@link abort} (`undefined` before). */
  get reason(): unknown {
    return this.#reason;
  }

  /** The real signal, created on first use (already aborted if {@link abort} came first). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts with `reason` (once; later calls are ignored): the signal, if created, and every listener. Never throws. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener(reason);
  }

  /**
   * Calls `listener(reason)` when {@link abort} runs (at once if it already ran).
   * @returns a function that removes the listener (idempotent).
   */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason);
      return () => undefined;
    }
    (this.#listeners ??= []).push(listener);
    return () => {
      const i = this.#listeners?.indexOf(listener) ?? -1;
      if (i >= 0) this.#listeners!.splice(i, 1);
    };
  }
}
