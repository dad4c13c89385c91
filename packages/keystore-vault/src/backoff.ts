/** Exponential backoff with jitter for retries against Vault. */
export interface BackoffOptions {
  /** Wait after the first failure in ms. @default 1000 */
  readonly initialMs?: number;
  /** Upper bound of a wait in ms. @default 30000 */
  readonly maxMs?: number;
  /** Relative jitter: each wait is scaled by a random factor in [1 - jitter, 1 + jitter]. @default 0.2 */
  readonly jitter?: number;
  /** Source of randomness in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * The wait after the `failures`-th consecutive failure (1-based): `initialMs · 2^(failures-1)`, capped at `maxMs`,
 * scaled by the jitter factor (and never above `maxMs`). Never throws.
 * @returns milliseconds, >= 0.
 */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * 2 ** Math.max(0, Math.min(failures - 1, 52)));
  const factor = 1 + jitter * (2 * random() - 1);
  return Math.max(0, Math.min(max, base * factor));
}
