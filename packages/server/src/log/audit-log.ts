/**
 * The audit log (spec §9.1 with the §12 decisions): one event per request that reached a handler — including 4xx/5xx
 * answers and authentication/authorization failures — as the pre-2023-10 JSON object
 * `{"time","request":{"ip","path","identity"},"response":{"code","time"}}` with `response.time` in nanoseconds.
 * Events go to stdout (one JSON line) while the audit level is INFO or lower, and always to `/v1/log/audit` subscribers.
 * Events never carry request or response bodies, so no key material can reach the log.
 */
import { formatTimestamp, type Timestamp } from '@kes/core';
import { goJson } from '../http/respond.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import { LogLevel } from './levels.js';
import type { LogHub } from './log-hub.js';

/** What one audit event records. */
export interface AuditRecord {
  /** When the request arrived. */
  time: Timestamp;
  /** Client IP (the TCP peer, or the first `X-Forwarded-For` entry behind a TLS proxy); omitted when unknown. */
  ip: string | undefined;
  /** The decoded request path. */
  path: string;
  /** The caller's identity (`''` when none could be computed). */
  identity: string;
  /** The HTTP status sent. */
  status: number;
  /** Time from request arrival until the answer was written, in nanoseconds. */
  durationNs: bigint;
}

/** Writes audit events. */
export class AuditLog {
  /** slog level of the stdout sink; events are INFO, so anything above INFO silences stdout. */
  level: number;
  readonly hub: LogHub;
  readonly #stdout: NodeJS.WritableStream;
  readonly #metrics: ServerMetrics;

  constructor(hub: LogHub, stdout: NodeJS.WritableStream, level: number, metrics: ServerMetrics) {
    this.hub = hub;
    this.#stdout = stdout;
    this.level = level;
    this.#metrics = metrics;
  }

  /** The JSON text of one event (no trailing newline). Never throws. */
  static format(record: AuditRecord): string {
    return goJson({
      time: formatTimestamp(record.time),
      request: { ip: record.ip, path: record.path, identity: record.identity },
      response: { code: record.status, time: Number(record.durationNs) },
    });
  }

  /** Records one event on stdout (if enabled) and on every stream subscriber. Never throws. */
  log(record: AuditRecord): void {
    const line = AuditLog.format(record);
    if (this.level <= LogLevel.INFO) this.#stdout.write(`${line}\n`);
    if (this.hub.publish(line) > 0) this.#metrics.auditEventStreamed();
  }
}
