/**
 * The audit log (spec §9.1 with the §12 decisions): one event per request that reached a handler — including 4xx/5xx
 * answers and authentication/authorization failures — as the pre-2023-10 JSON object
 * `{"time","request":{"ip","path","identity"},"response":{"code","time"}}` with `response.time` in nanoseconds.
 * Subscribers of `/v1/log/audit` get exactly that object; the stdout line (written while the audit level is INFO or
 * lower) is the same object with the request method added as `request.method` — a superset any consumer of the
 * stream format still parses. Events never carry request or response bodies, so no key material can reach the log.
 */
import type { Timestamp } from '@kes/core';
import { goJsonString } from '../http/respond.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import { BatchedWriter } from './batched-writer.js';
import { LogLevel } from './levels.js';
import { formatTime } from './time-format.js';
import type { LogHub } from './log-hub.js';

/** What one audit event records. */
export interface AuditRecord {
  /** When the request arrived. */
  time: Timestamp;
  /** Client IP (the TCP peer, or the first `X-Forwarded-For` entry behind a TLS proxy); omitted when unknown. */
  ip: string | undefined;
  /** The request method (stdout only; omitted when `undefined`). */
  method?: string | undefined;
  /** The decoded request path. */
  path: string;
  /** The caller's identity (`''` when none could be computed). */
  identity: string;
  /** The HTTP status sent. */
  status: number;
  /** Time from request arrival until the answer was written, in nanoseconds. */
  durationNs: bigint | number;
}

/** Writes audit events. */
export class AuditLog {
  /** slog level of the stdout sink; events are INFO, so anything above INFO silences stdout. */
  level: number;
  readonly hub: LogHub;
  readonly #stdout: BatchedWriter;
  readonly #metrics: ServerMetrics;

  constructor(hub: LogHub, stdout: NodeJS.WritableStream, level: number, metrics: ServerMetrics) {
    this.hub = hub;
    this.#stdout = new BatchedWriter(stdout);
    this.level = level;
    this.#metrics = metrics;
  }

  /** The JSON text of one stream event (spec §9.1, no trailing newline). Never throws. */
  static format(record: AuditRecord): string {
    return formatEvent(record, false);
  }

  /** The JSON text of one stdout event: {@link format}'s object plus `request.method`. Never throws. */
  static formatStdout(record: AuditRecord): string {
    return formatEvent(record, true);
  }

  /**
   * Records one event on stdout (if enabled; the lines of one event-loop turn go out in one write at its end) and on
   * every stream subscriber (written and flushed at once). Never throws.
   */
  log(record: AuditRecord): void {
    if (this.level <= LogLevel.INFO) this.#stdout.write(`${AuditLog.formatStdout(record)}\n`);
    if (this.hub.size > 0 && this.hub.publish(AuditLog.format(record)) > 0) this.#metrics.auditEventStreamed();
  }

  /** Writes the stdout lines still queued (shutdown). Never throws. */
  flush(): void {
    this.#stdout.flush();
  }
}

/**
 * The event as Go's encoder writes it — `{"time":…,"request":{["method":…,]"ip":…,"path":…,"identity":…},
 * "response":{"code":…,"time":…}}` with `ip` left out when unknown — built as one string (this runs for every
 * request). The request fields are client-influenced and go through Go's string escaping.
 */
function formatEvent(record: AuditRecord, withMethod: boolean): string {
  const method = withMethod && record.method !== undefined ? `"method":${goJsonString(record.method)},` : '';
  const ip = record.ip === undefined ? '' : `"ip":${goJsonString(record.ip)},`;
  return (
    `{"time":"${formatTime(record.time)}","request":{${method}${ip}"path":${goJsonString(record.path)},"identity":${goJsonString(record.identity)}},` +
    `"response":{"code":${record.status},"time":${Number(record.durationNs)}}}`
  );
}
