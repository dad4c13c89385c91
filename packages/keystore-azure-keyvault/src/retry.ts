import { AttemptTimeoutError, BudgetExhaustedError, classify } from './classify.js';
import { isVaultHttpError } from './vault-http-error.js';

/** How calls to Key Vault are timed and retried (all in milliseconds; see {@link DEFAULT_TIMING}). */
export interface AzureKeyVaultTiming {
  /** Budget of one keystore call (`create`, `get`, `delete`, `list`) across all its requests and retries. */
  readonly operationTimeoutMs: number;
  /** Budget of one `status` probe (the key cache probes every 10 s). */
  readonly statusTimeoutMs: number;
  /** Time allowed for one HTTP attempt, including getting a token. */
  readonly attemptTimeoutMs: number;
  /** First backoff after a 429 without `Retry-After` or a transient failure; doubles per retry (jittered). */
  readonly backoffBaseMs: number;
  /** Upper bound of one such backoff. */
  readonly backoffMaxMs: number;
  /** Base pause between purge attempts and between set attempts while a name is being deleted (KES: 200 ms + 0–800 ms jitter). */
  readonly conflictDelayMs: number;
  /** Retries of one request answered 429 (each waits `Retry-After` if given, else the backoff). */
  readonly throttleRetries: number;
  /** Retries of one request after a 408/5xx answer. */
  readonly serverRetries: number;
  /** Retries of one request after a connection failure or an attempt timeout. */
  readonly networkRetries: number;
  /** Create: purge attempts while a soft-deleted secret holds the name and is still being deleted (KES: 25). */
  readonly createPurgeAttempts: number;
  /** Create: set attempts while the name is being deleted or purged (KES: 7). */
  readonly createSetAttempts: number;
  /** Delete: purge attempts while the delete is still in progress (KES: 10). */
  readonly deletePurgeAttempts: number;
}

/**
 * The defaults: every keystore call ends within 10 s (well inside the server's 15 s route timeout), a status probe
 * within 5 s (inside the cache's 10 s probe period).
 */
export const DEFAULT_TIMING: AzureKeyVaultTiming = Object.freeze({
  operationTimeoutMs: 10_000,
  statusTimeoutMs: 5_000,
  attemptTimeoutMs: 5_000,
  backoffBaseMs: 250,
  backoffMaxMs: 2_000,
  conflictDelayMs: 200,
  throttleRetries: 10,
  serverRetries: 3,
  networkRetries: 2,
  createPurgeAttempts: 25,
  createSetAttempts: 7,
  deletePurgeAttempts: 10,
});

/** The time and cancellation frame of one keystore call. */
export interface Budget {
  /** `performance.now()` value after which no further attempt starts. */
  readonly deadline: number;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** The budget's length in milliseconds (for messages). */
  readonly timeoutMs: number;
}

/** A budget of `timeoutMs` from now. */
export function budgetOf(timeoutMs: number, signal: AbortSignal | undefined): Budget {
  return { deadline: performance.now() + timeoutMs, signal, timeoutMs };
}

/** Milliseconds left in `budget` (may be negative). */
export function remaining(budget: Budget): number {
  return budget.deadline - performance.now();
}

/**
 * Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. Never leaks a timer.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs one attempt of `fn` with a signal that aborts after `min(attemptTimeoutMs, what is left of the budget)` or
 * when the caller's signal aborts; settles at that moment even if the SDK does not react to its signal.
 * @throws the caller's abort reason; {@link BudgetExhaustedError} (without calling `fn`) when nothing is left of the
 *   budget; {@link AttemptTimeoutError} on timeout; otherwise what `fn` throws.
 */
export async function attempt<T>(fn: (signal: AbortSignal) => Promise<T>, budget: Budget, attemptTimeoutMs: number): Promise<T> {
  budget.signal?.throwIfAborted();
  const left = Math.floor(remaining(budget));
  if (left < 1) throw new BudgetExhaustedError(budget.timeoutMs);
  const limit = Math.min(attemptTimeoutMs, left);
  const controller = new AbortController();
  let stop: (err: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  const timer = setTimeout(() => {
    const err = new AttemptTimeoutError(limit);
    controller.abort(err);
    stop(err);
  }, limit);
  const onAbort = () => {
    controller.abort(budget.signal!.reason);
    stop(budget.signal!.reason);
  };
  budget.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([fn(controller.signal), stopped]);
  } catch (err) {
    if (budget.signal?.aborted) throw budget.signal.reason;
    if (controller.signal.aborted) throw controller.signal.reason;
    throw err;
  } finally {
    clearTimeout(timer);
    budget.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Sends one request (`fn`) with retries, all inside `budget`: 429 is retried after `Retry-After` when given and
 * after an exponential, jittered backoff when not (the SDK itself retries 429 only with `Retry-After`); 408/5xx and
 * connection failures are retried a few times. A retry that would start after the deadline is not made: the last
 * error is thrown instead, so the call ends within its budget.
 * @throws the caller's abort reason, or the last error of `fn` (unchanged).
 */
export async function withRetries<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  budget: Budget,
  timing: AzureKeyVaultTiming,
  random: () => number = Math.random,
): Promise<T> {
  const used = { throttled: 0, server: 0, network: 0 };
  let last: unknown;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(fn, budget, timing.attemptTimeoutMs);
    } catch (err) {
      if (budget.signal?.aborted) throw budget.signal.reason;
      // A late timer can wake us just past the deadline: the service's last answer says more than "time is up".
      if (err instanceof BudgetExhaustedError && last !== undefined) throw last;
      last = err;
      const kind = classify(err);
      if (kind !== 'throttled' && kind !== 'server' && kind !== 'network') throw err;
      const limit = kind === 'throttled' ? timing.throttleRetries : kind === 'server' ? timing.serverRetries : timing.networkRetries;
      if (used[kind]++ >= limit) throw err;
      const asked = isVaultHttpError(err) ? err.retryAfterMs : undefined;
      const delay = asked ?? backoff(retry, timing, random);
      // Waiting past the deadline is pointless: give up now with the service's answer.
      if (delay >= remaining(budget) - 1) throw err;
      await sleep(delay, budget.signal);
    }
  }
}

/** The jittered exponential backoff before retry number `retry` (0-based): between half and all of base·2^retry, capped. */
export function backoff(retry: number, timing: Pick<AzureKeyVaultTiming, 'backoffBaseMs' | 'backoffMaxMs'>, random: () => number = Math.random): number {
  const full = Math.min(timing.backoffMaxMs, timing.backoffBaseMs * 2 ** Math.min(retry, 30));
  return full / 2 + (full / 2) * random();
}

/** The pause before another purge or set attempt during a delete window (base plus up to four times the base). */
export function conflictPause(timing: Pick<AzureKeyVaultTiming, 'conflictDelayMs'>, random: () => number = Math.random): number {
  return timing.conflictDelayMs + 4 * timing.conflictDelayMs * random();
}
