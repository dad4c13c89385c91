import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKesClientError } from './errors.js';
import { metricAverageLatencySeconds, metricRequestCount, metricToJSON, parseMetrics } from './metrics.js';

const SAMPLE = `# HELP kes_http_request_success Number of requests that have been served successfully.
# TYPE kes_http_request_success counter
kes_http_request_success{code="200"} 40
kes_http_request_success{code="201"} 2
# HELP kes_http_request_error Number of request that failed due to some error.
# TYPE kes_http_request_error counter
kes_http_request_error{code="400"} 3
kes_http_request_error{code="404"} 4
# TYPE kes_http_request_failure counter
kes_http_request_failure{code="502"} 1
# TYPE kes_http_request_active gauge
kes_http_request_active 2
# TYPE kes_http_response_time histogram
kes_http_response_time_bucket{le="0.01"} 30
kes_http_response_time_bucket{le="0.05"} 40
kes_http_response_time_bucket{le="0.1"} 45
kes_http_response_time_bucket{le="+Inf"} 50
kes_http_response_time_sum 1.5
kes_http_response_time_count 50
# TYPE kes_log_audit_events counter
kes_log_audit_events 7
# TYPE kes_log_error_events counter
kes_log_error_events 1
# TYPE kes_system_up_time gauge
kes_system_up_time 3600.25
# TYPE kes_system_num_cpu gauge
kes_system_num_cpu 8
# TYPE kes_system_num_cpu_used gauge
kes_system_num_cpu_used 4
# TYPE kes_system_num_threads gauge
kes_system_num_threads 12
# TYPE kes_system_mem_heap_used gauge
kes_system_mem_heap_used 1.048576e+06
# TYPE kes_system_mem_heap_objects gauge
kes_system_mem_heap_objects 900
# TYPE kes_system_mem_stack_used gauge
kes_system_mem_stack_used 65536
# TYPE other_metric gauge
other_metric{a="1"} 1
other_metric{a="2"} 2
`;

describe('parseMetrics', () => {
  it('decodes every family the Go SDK reads', () => {
    const m = parseMetrics(SAMPLE);
    expect(m).toEqual({
      requestOK: 42,
      requestErr: 7,
      requestFail: 1,
      requestActive: 2,
      auditEvents: 7,
      errorEvents: 1,
      latencyHistogram: [
        { le: 0.01, count: 30 },
        { le: 0.05, count: 40 },
        { le: 0.1, count: 45 },
      ],
      uptimeSeconds: 3600.25,
      cpus: 8,
      usableCpus: 4,
      threads: 12,
      heapAlloc: 1048576,
      heapObjects: 900,
      stackAlloc: 65536,
    });
    expect(metricRequestCount(m)).toBe(50);
  });

  it('treats absent and empty families as zero', () => {
    const m = parseMetrics('# TYPE kes_http_request_success counter\n# TYPE kes_system_num_cpu gauge\n');
    expect(m.requestOK).toBe(0);
    expect(m.cpus).toBe(0);
    expect(m.latencyHistogram).toEqual([]);
  });

  it('rejects malformed input with INVALID_RESPONSE', () => {
    const bad = [
      'garbage{ 1 2 3',
      '# TYPE kes_system_num_cpu gauge\nkes_system_num_cpu -1\n',
      '# TYPE kes_system_num_cpu gauge\nkes_system_num_cpu abc\n',
      '# TYPE kes_system_num_cpu counter\nkes_system_num_cpu 1\n',
      '# TYPE kes_system_num_cpu gauge\nkes_system_num_cpu{a="1"} 1\nkes_system_num_cpu{a="2"} 2\n',
      '# TYPE kes_http_request_success gauge\nkes_http_request_success 1\n',
      '# TYPE kes_http_response_time gauge\nkes_http_response_time 1\n',
    ];
    for (const text of bad) {
      let caught: unknown;
      try {
        parseMetrics(text);
      } catch (err) {
        caught = err;
      }
      expect(isKesClientError(caught, 'INVALID_RESPONSE'), text).toBe(true);
    }
  });

  it('sums the request counters over any labels (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 10 }), (counts) => {
        const lines = counts.map((c, i) => `kes_http_request_error{code="${400 + i}"} ${c}`).join('\n');
        const m = parseMetrics(`# TYPE kes_http_request_error counter\n${lines}\n`);
        return m.requestErr === counts.reduce((a, b) => a + b, 0);
      }),
    );
  });

  it('never throws anything but INVALID_RESPONSE (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseMetrics(text);
          return true;
        } catch (err) {
          return isKesClientError(err, 'INVALID_RESPONSE');
        }
      }),
    );
  });
});

describe('metric helpers', () => {
  it('renders the Go SDK JSON (Go durations in ns, +Inf dropped)', () => {
    const j = metricToJSON(parseMetrics(SAMPLE));
    expect(j['kes_http_response_time']).toEqual({ '10000000': 30, '50000000': 40, '100000000': 45 });
    expect(j['kes_system_up_time']).toBe(3600 * 1e9);
    expect(j['kes_http_request_success']).toBe(42);
    expect(j['kes_system_num_cpu_used']).toBe(4);
  });

  it('estimates the average latency from the histogram', () => {
    const m = parseMetrics(SAMPLE);
    expect(metricAverageLatencySeconds(m)).toBeCloseTo((30 * 0.01 + 10 * 0.05 + 5 * 0.1) / 45);
    expect(metricAverageLatencySeconds(parseMetrics(''))).toBe(0);
  });
});
