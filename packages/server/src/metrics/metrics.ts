/**
 * The server's Prometheus metrics (spec §9.3): exactly the `kes_*` families, in a registry of their own (no default
 * `process_*`/`nodejs_*` collectors), exposed in the text format KES's Go server negotiates by default.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { RequestTally, TallyHistogram } from './request-tally.js';
import { systemStats } from './system-stats.js';

/** `Content-Type` of `/v1/metrics`, as prometheus/common's `expfmt` sends the text format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';

/** Buckets of `kes_http_response_time` in seconds. */
export const RESPONSE_TIME_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 3, 5, 10];

/** The metric families of one server. */
export class ServerMetrics {
  /** The registry holding only the `kes_*` families. */
  readonly registry = new Registry();
  readonly #requests = new RequestTally(RESPONSE_TIME_BUCKETS);
  readonly #errorEvents: Counter;
  readonly #auditEvents: Counter;
  #source: (() => Promise<string>) | undefined;

  /** @param startedAt - `performance.now()` at server start, for `kes_system_up_time`. */
  constructor(startedAt: number) {
    const registers = [this.registry];
    const requests = this.#requests;
    // the request families read the tally when collected
    const statusCounter = (name: string, help: string, low: number, high: number) =>
      new Counter({
        name,
        help,
        labelNames: ['code'],
        registers,
        collect() {
          this.reset();
          for (const [status, n] of requests.byStatus) if (status >= low && status <= high) this.inc({ code: String(status) }, n);
        },
      });
    statusCounter('kes_http_request_success', 'Number of requests answered with a 2xx status.', 200, 299);
    statusCounter('kes_http_request_error', 'Number of requests answered with a 4xx status.', 400, 499);
    statusCounter('kes_http_request_failure', 'Number of requests answered with a 5xx status.', 500, 599);
    new Gauge({
      name: 'kes_http_request_active',
      help: 'Number of requests being served right now.',
      registers,
      aggregator: 'sum',
      collect() {
        this.set(requests.active);
      },
    });
    new TallyHistogram('kes_http_response_time', 'Time until the response was written, in seconds.', requests, this.registry);
    this.#errorEvents = new Counter({ name: 'kes_log_error_events', help: 'Number of error log events written to stream subscribers.', registers });
    this.#auditEvents = new Counter({ name: 'kes_log_audit_events', help: 'Number of audit log events written to stream subscribers.', registers });
    // aggregators: how a multi-process server combines the processes' values (counters and histograms are summed)
    const gauge = (name: string, help: string, aggregator: 'sum' | 'max', read: () => number) =>
      new Gauge({ name, help, registers, aggregator, collect() { this.set(read()); } });
    gauge('kes_system_up_time', 'Time since the server started, in seconds.', 'max', () => Math.floor((performance.now() - startedAt) / 10) / 100);
    gauge('kes_system_num_cpu', 'Number of logical CPUs of the host.', 'max', () => systemStats().numCpu);
    gauge('kes_system_num_cpu_used', 'Number of CPUs the server may use.', 'max', () => systemStats().numCpuUsed);
    gauge('kes_system_num_threads', 'Number of OS threads of the server process.', 'sum', () => systemStats().threads);
    gauge('kes_system_mem_heap_used', 'Bytes of heap memory in use.', 'sum', () => systemStats().heapUsed);
    gauge('kes_system_mem_heap_objects', 'Number of heap objects (not observable in Node.js, always 0).', 'sum', () => 0);
    gauge('kes_system_mem_stack_used', 'Bytes of stack memory mapped for the process.', 'sum', () => systemStats().stackUsed);
  }

  /** A counted request started (after successful authentication). */
  requestStarted(): void {
    this.#requests.started();
  }

  /** A counted request finished with `status` after `seconds`. Statuses outside 2xx/4xx/5xx are only timed. */
  requestFinished(status: number, seconds: number): void {
    this.#requests.finished(status, seconds);
  }

  /** An error log event was written to at least one stream subscriber. */
  errorEventStreamed(): void {
    this.#errorEvents.inc();
  }

  /** An audit log event was written to at least one stream subscriber. */
  auditEventStreamed(): void {
    this.#auditEvents.inc();
  }

  /** Makes {@link exposition} answer with `source` (a multi-process server's combined metrics). */
  useExposition(source: () => Promise<string>): void {
    this.#source = source;
  }

  /**
   * The text exposition (of the whole server when it runs as several processes). Families without samples (label
   * vectors never used) are left out, as Go's client library does.
   */
  async exposition(): Promise<string> {
    return withoutEmptyFamilies(this.#source === undefined ? await this.registry.metrics() : await this.#source());
  }
}

/** `text` without the families that have no sample. Never throws. */
export function withoutEmptyFamilies(text: string): string {
  const blocks = text.split(/(?=^# HELP )/m);
  return blocks.filter((block) => block.split('\n').some((line) => line !== '' && !line.startsWith('#'))).join('');
}
