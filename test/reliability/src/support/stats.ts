/**
 * Latency and outcome accounting shared by the load generator and the scenarios: percentiles, errors by kind and
 * the figures a scenario prints.
 */

/** Percentiles of a latency sample, in milliseconds (0 when the sample is empty). */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** The `p`-th percentile (0–100) of `values` by nearest rank; 0 for no values. Does not modify `values`. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** p50/p90/p99/max of `values` (ms), rounded to 0.1 ms. */
export function summarize(values: ArrayLike<number>): LatencySummary {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { count: sorted.length, p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), max: r(sorted[sorted.length - 1]!) };
}

/** Counts by kind, e.g. `{ 'http-502': 3, ECONNRESET: 1 }`. */
export type KindCounts = Record<string, number>;

/** Adds `n` to `counts[kind]`. */
export function countKind(counts: KindCounts, kind: string, n = 1): void {
  counts[kind] = (counts[kind] ?? 0) + n;
}

/** The sum of all counts. */
export function total(counts: KindCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** `a` plus `b` (new object). */
export function mergeCounts(a: KindCounts, b: KindCounts): KindCounts {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) countKind(out, k, v);
  return out;
}
