/**
 * The per-request metrics (`kes_http_request_*`, `kes_http_response_time`) kept as plain numbers: updating
 * prom-client's labelled counters and histogram on every request cost about 2 µs of server CPU (label hashing and
 * validation, a closure per observation); the families read these numbers when the metrics are collected.
 */
import type { Registry } from 'prom-client';

/** One sample of a family as prom-client's registry reads it from `get()`. */
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
  /** Always `null` on buckets, as prom-client sets it without exemplars. */
  exemplar?: null;
}

/** A family as prom-client's registry reads it from `get()` (its typings say an enum for `type`; it is a string). */
interface Family {
  name: string;
  help: string;
  type: 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

/** Counts of requests in flight and answered (by status), and the response-time histogram. */
export class RequestTally {
  /** Requests being served. */
  active = 0;
  /** Answered requests by status code. */
  readonly byStatus = new Map<number, number>();
  /** Upper bounds of the histogram buckets in seconds, ascending. */
  readonly bounds: readonly number[];
  /** Observations per bucket (not cumulative); the last slot is `+Inf`. */
  readonly buckets: Float64Array;
  /** Sum of the observed seconds. */
  sum = 0;
  /** Number of observations. */
  count = 0;

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.buckets = new Float64Array(bounds.length + 1);
  }

  /** A request started. */
  started(): void {
    this.active++;
  }

  /** A request finished with `status` after `seconds`. */
  finished(status: number, seconds: number): void {
    this.active--;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    this.buckets[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

/**
 * A histogram family over the tally, exposed exactly as prom-client's `Histogram` exposes one without labels
 * (cumulative `_bucket` samples with `le`, then `+Inf`, `_sum`, `_count`; summed across the processes of a cluster).
 */
export class TallyHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly #tally: RequestTally;

  constructor(name: string, help: string, tally: RequestTally, registry: Registry) {
    this.name = name;
    this.help = help;
    this.#tally = tally;
    // the registry reads a family through `get()`; this object provides exactly what it reads
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The family's samples, as prom-client's `get()` returns them. */
  get(): Promise<Family> {
    const { bounds, buckets, sum, count } = this.#tally;
    const values: Sample[] = [];
    let cumulative = 0;
    bounds.forEach((le, i) => {
      cumulative += buckets[i]!;
      values.push({ labels: { le }, value: cumulative, metricName: `${this.name}_bucket`, exemplar: null });
    });
    values.push(
      { labels: { le: '+Inf' }, value: count, metricName: `${this.name}_bucket`, exemplar: null },
      { labels: {}, value: sum, metricName: `${this.name}_sum` },
      { labels: {}, value: count, metricName: `${this.name}_count` },
    );
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }
}
