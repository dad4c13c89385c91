/** Small helpers for timers and abort signals. */

/** Lets the process exit while `timer` is pending. @returns the timer. */
export function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref?.();
  return timer;
}

/**
 * Resolves or rejects like `promise`, but rejects with the signal's reason as soon as the signal aborts (the promise
 * itself goes on: use this for work shared with other callers).
 * @throws the signal's reason at once when it is already aborted.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
