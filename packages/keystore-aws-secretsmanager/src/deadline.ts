import { performance } from 'node:perf_hooks';

/** What an operation running under {@link withDeadline} gets: one signal for all its requests and its time left. */
export interface DeadlineScope {
  /** Aborted when the caller's signal aborts or the deadline passes. Pass it to every request and wait. */
  readonly signal: AbortSignal;
  /** Milliseconds left until the deadline (may be negative). */
  remainingMs(): number;
}

const DEADLINE = Symbol('deadline');

/**
 * Runs `fn` with a deadline. Whatever `fn` throws after the caller's signal aborted becomes the signal's reason
 * (the Keystore contract); whatever it throws after the deadline passed becomes `onTimeout()`; anything else passes
 * through. The timer is cleared and the listener removed when `fn` settles.
 *
 * @throws the caller signal's reason at once when it is already aborted.
 */
export async function withDeadline<T>(
  caller: AbortSignal | undefined,
  timeoutMs: number,
  onTimeout: () => Error,
  fn: (scope: DeadlineScope) => Promise<T>,
): Promise<T> {
  caller?.throwIfAborted();
  const controller = new AbortController();
  const started = performance.now();
  const timer = setTimeout(() => controller.abort(DEADLINE), timeoutMs);
  const forward = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', forward, { once: true });
  try {
    return await fn({ signal: controller.signal, remainingMs: () => timeoutMs - (performance.now() - started) });
  } catch (err) {
    if (caller?.aborted) throw caller.reason;
    if (controller.signal.aborted && controller.signal.reason === DEADLINE) throw onTimeout();
    throw err;
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', forward);
  }
}

/**
 * Waits `ms` milliseconds.
 * @throws the signal's reason when it aborts first (at once if it already has).
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
