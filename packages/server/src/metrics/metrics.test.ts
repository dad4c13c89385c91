import { describe, expect, it } from 'vitest';
import { ServerMetrics } from './metrics.js';

describe('ServerMetrics', () => {
  it('exposes exactly the kes_* families, leaving out unused label vectors', async () => {
    const m = new ServerMetrics(performance.now());
    const text = await m.exposition();
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((x) => `${x[1]} ${x[2]}`);
    expect(families.sort()).toEqual(
      [
        'kes_http_request_active gauge',
        'kes_http_response_time histogram',
        'kes_log_audit_events counter',
        'kes_log_error_events counter',
        'kes_system_mem_heap_objects gauge',
        'kes_system_mem_heap_used gauge',
        'kes_system_mem_stack_used gauge',
        'kes_system_num_cpu gauge',
        'kes_system_num_cpu_used gauge',
        'kes_system_num_threads gauge',
        'kes_system_up_time gauge',
      ].sort(),
    );
    expect(text).not.toMatch(/process_|nodejs_/);
  });

  it('counts 2xx/4xx/5xx by code and times requests', async () => {
    const m = new ServerMetrics(performance.now());
    for (const [status, secs] of [[200, 0.004], [200, 0.2], [404, 0.02], [502, 2]] as const) {
      m.requestStarted();
      m.requestFinished(status, secs);
    }
    const text = await m.exposition();
    expect(text).toMatch(/^kes_http_request_success\{code="200"\} 2$/m);
    expect(text).toMatch(/^kes_http_request_error\{code="404"\} 1$/m);
    expect(text).toMatch(/^kes_http_request_failure\{code="502"\} 1$/m);
    expect(text).toMatch(/^kes_http_request_active 0$/m);
    expect(text).toMatch(/^kes_http_response_time_bucket\{le="0.01"\} 1$/m);
    expect(text).toMatch(/^kes_http_response_time_bucket\{le="0.05"\} 2$/m);
    expect(text).toMatch(/^kes_http_response_time_bucket\{le="1.5"\} 3$/m);
    expect(text).toMatch(/^kes_http_response_time_bucket\{le="\+Inf"\} 4$/m);
    expect(text).toMatch(/^kes_http_response_time_count 4$/m);
  });

  it('reports uptime truncated to 10 ms', async () => {
    const m = new ServerMetrics(performance.now() - 12_345);
    const up = Number(/^kes_system_up_time (\S+)$/m.exec(await m.exposition())![1]);
    expect(up).toBeGreaterThanOrEqual(12.34);
    expect(Math.round(up * 100)).toBeCloseTo(up * 100, 6);
  });
});
