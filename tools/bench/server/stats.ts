/** Latency samples and their summary (milliseconds). */

/** A growable list of latency samples in milliseconds. */
export class Samples {
  #data = new Float64Array(1 << 16);
  #n = 0;

  /** Adds one sample. */
  add(ms: number): void {
    if (this.#n === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.#n++] = ms;
  }

  /** Number of samples. */
  get count(): number {
    return this.#n;
  }

  /** Forgets every sample. */
  clear(): void {
    this.#n = 0;
  }

  /** p50, p90, p99, p99.9, mean and max; zeros without samples. */
  summary(): LatencySummary {
    if (this.#n === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, mean: 0, max: 0 };
    const sorted = this.#data.slice(0, this.#n).sort();
    const at = (q: number) => sorted[Math.min(this.#n - 1, Math.floor(q * this.#n))]!;
    let sum = 0;
    for (const v of sorted) sum += v;
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), mean: sum / this.#n, max: sorted[this.#n - 1]! };
  }
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  mean: number;
  max: number;
}
