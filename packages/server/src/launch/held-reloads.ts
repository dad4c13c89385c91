/**
 * Reload requests (SIGHUP) taken from the moment the launcher has its arguments: a request that arrives while the
 * server is still starting is held and passed on as soon as the running server (or cluster primary) subscribes —
 * rather than being lost, or ending the process (SIGHUP's default action when nothing listens yet).
 */

/** Subscribes to reload requests; returns the unsubscribe function (the shape of `LaunchOptions.onReload`). */
export type ReloadSubscription = (listener: () => void) => () => void;

/** See the module description. */
export class HeldReloads {
  readonly #unsubscribe: () => void;
  #listener: (() => void) | undefined;
  #missed = false;

  /** Subscribes to `subscribe` at once (until {@link HeldReloads.close}). */
  constructor(subscribe: ReloadSubscription) {
    this.#unsubscribe = subscribe(() => {
      if (this.#listener !== undefined) this.#listener();
      else this.#missed = true;
    });
  }

  /** The subscription to hand on: its listener gets every request from now on, and one for any held before. */
  readonly onReload: ReloadSubscription = (listener) => {
    this.#listener = listener;
    if (this.#missed) {
      this.#missed = false;
      listener();
    }
    return () => {
      if (this.#listener === listener) this.#listener = undefined;
    };
  };

  /** Stops taking requests. Idempotent. */
  close(): void {
    this.#unsubscribe();
  }
}
