/**
 * `/v1/metrics` → {@link Metric}, following the Go SDK (`kms-go kes/client.go Metrics`): the three request counters
 * are summed over their labels, every other known family must hold exactly one sample, the histogram's `+Inf` bucket
 * is dropped, unknown families are ignored. Parsing of the text exposition is done by `parse-prometheus-text-format`.
 */
import { createRequire } from 'node:module';
import type { Where } from './json.js';
import { invalid } from './json.js';
import type { Metric } from './types.js';

/** The shape `parse-prometheus-text-format` returns (values are strings). */
interface PromFamily {
  name: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }>;
}

const require = createRequire(import.meta.url);
const parsePrometheusTextFormat = require('parse-prometheus-text-format') as (text: string) => PromFamily[];

/** Sums over labels (2xx/4xx/5xx counters). */
const SUMMED: Record<string, 'requestOK' | 'requestErr' | 'requestFail'> = {
  kes_http_request_success: 'requestOK',
  kes_http_request_error: 'requestErr',
  kes_http_request_failure: 'requestFail',
};

/** Single-sample families: name → [expected type, Metric field]. */
const SINGLE: Record<string, [PromFamily['type'], Exclude<keyof Metric, 'latencyHistogram'>]> = {
  kes_http_request_active: ['GAUGE', 'requestActive'],
  kes_log_audit_events: ['COUNTER', 'auditEvents'],
  kes_log_error_events: ['COUNTER', 'errorEvents'],
  kes_system_up_time: ['GAUGE', 'uptimeSeconds'],
  kes_system_num_cpu: ['GAUGE', 'cpus'],
  kes_system_num_cpu_used: ['GAUGE', 'usableCpus'],
  kes_system_num_threads: ['GAUGE', 'threads'],
  kes_system_mem_heap_used: ['GAUGE', 'heapAlloc'],
  kes_system_mem_heap_objects: ['GAUGE', 'heapObjects'],
  kes_system_mem_stack_used: ['GAUGE', 'stackAlloc'],
};

const HISTOGRAM = 'kes_http_response_time';

function sampleValue(text: string | undefined, family: string, where: Where): number {
  const v = text === undefined ? NaN : Number(text);
  if (!Number.isFinite(v) || v < 0) throw invalid(where, `metric '${family}' has an invalid value '${text}'`);
  return v;
}

/** An all-zero metric. Never throws. */
export function emptyMetric(): Metric {
  return {
    requestOK: 0, requestErr: 0, requestFail: 0, requestActive: 0, auditEvents: 0, errorEvents: 0,
    latencyHistogram: [], uptimeSeconds: 0, cpus: 0, usableCpus: 0, threads: 0, heapAlloc: 0, heapObjects: 0,
    stackAlloc: 0,
  };
}

/**
 * Parses a Prometheus text exposition (format 0.0.4) into a {@link Metric}.
 * Families without samples count as 0 (the Go SDK rejects them; being lenient here costs nothing).
 * @throws KesClientError `INVALID_RESPONSE` on unparsable text, a negative/non-numeric sample, a known family of the
 *   wrong type, or more than one sample in a single-sample family.
 */
export function parseMetrics(text: string, where: Where = { what: 'metrics' }): Metric {
  let families: PromFamily[];
  try {
    families = parsePrometheusTextFormat(text);
  } catch (err) {
    throw invalid(where, (err as Error).message);
  }
  const m = emptyMetric();
  for (const f of families) {
    const summed = SUMMED[f.name];
    if (summed !== undefined) {
      if (f.type !== 'COUNTER') throw invalid(where, `metric '${f.name}' is not a counter`);
      for (const s of f.metrics) m[summed] += sampleValue(s.value, f.name, where);
      continue;
    }
    const single = SINGLE[f.name];
    if (single === undefined && f.name !== HISTOGRAM) continue;
    if (f.metrics.length === 0) continue;
    if (f.metrics.length > 1) throw invalid(where, `metric '${f.name}' has more than one sample`);
    const sample = f.metrics[0] as PromFamily['metrics'][number];
    if (single !== undefined) {
      if (f.type !== single[0]) throw invalid(where, `metric '${f.name}' is not a ${single[0].toLowerCase()}`);
      m[single[1]] = sampleValue(sample.value, f.name, where);
      continue;
    }
    if (f.type !== 'HISTOGRAM' || sample.buckets === undefined) throw invalid(where, `metric '${f.name}' is not a histogram`);
    for (const [le, count] of Object.entries(sample.buckets)) {
      if (le === '+Inf') continue;
      const bound = sampleValue(le, `${f.name} le`, where);
      m.latencyHistogram.push({ le: bound, count: sampleValue(count, f.name, where) });
    }
    m.latencyHistogram.sort((a, b) => a.le - b.le);
  }
  return m;
}

/** Total requests counted by the server (`requestOK + requestErr + requestFail`). Never throws. */
export function metricRequestCount(m: Metric): number {
  return m.requestOK + m.requestErr + m.requestFail;
}

/**
 * Average response time in seconds estimated from the histogram like `kes metric` does (each bucket's responses at
 * its upper bound); 0 when there are no responses. Never throws.
 */
export function metricAverageLatencySeconds(m: Metric): number {
  let total = 0;
  let weighted = 0;
  let previous = 0;
  for (const b of m.latencyHistogram) {
    const n = b.count - previous;
    weighted += n * b.le;
    total += n;
    previous = b.count;
  }
  return total === 0 ? 0 : weighted / total;
}

const NS_PER_SECOND = 1_000_000_000;

/**
 * The Go SDK's JSON form of a Metric (what `kes metric` prints when not on a terminal): Prometheus names as keys,
 * the histogram as `{ "<Go duration ns>": count }` and the uptime as Go nanoseconds. Never throws.
 */
export function metricToJSON(m: Metric): Record<string, unknown> {
  const histogram: Record<string, number> = {};
  for (const b of m.latencyHistogram) {
    // Go: time.Duration(1000*le) * time.Millisecond (truncating), and the zero entry is dropped.
    const ms = Math.trunc(1000 * b.le);
    if (ms > 0) histogram[String(ms * 1_000_000)] = b.count;
  }
  return {
    kes_http_request_success: m.requestOK,
    kes_http_request_error: m.requestErr,
    kes_http_request_failure: m.requestFail,
    kes_http_request_active: m.requestActive,
    kes_log_audit_events: m.auditEvents,
    kes_log_error_events: m.errorEvents,
    kes_http_response_time: histogram,
    kes_system_up_time: Math.trunc(m.uptimeSeconds) * NS_PER_SECOND,
    kes_system_num_cpu: m.cpus,
    kes_system_num_cpu_used: m.usableCpus,
    kes_system_num_threads: m.threads,
    kes_system_mem_heap_used: m.heapAlloc,
    kes_system_mem_heap_objects: m.heapObjects,
    kes_system_mem_stack_used: m.stackAlloc,
  };
}
