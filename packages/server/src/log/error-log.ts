/**
 * The error log (spec §9.2): records at or above the configured level are written to stderr — as slog text lines
 * (default, like upstream) or slog JSON objects (`log.format: json`) — and streamed to `/v1/log/error` subscribers as
 * `{"message":"<text line>"}` in either case. Callers pass messages and request attributes, never key material or
 * bodies; messages and attribute values are cut to {@link MAX_MESSAGE_CHARS} whatever they carry (error texts from
 * backends: see describe-error.ts).
 */
import { goJson } from '../http/respond.js';
import { MAX_MESSAGE_CHARS, truncate } from './describe-error.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import { LogLevel } from './levels.js';
import { formatJsonRecord } from './slog-json.js';
import type { LogHub } from './log-hub.js';
import { formatTextRecord, type LogAttr } from './slog-text.js';

/** How stderr records are written. */
export type LogFormat = 'text' | 'json';

/** Writes error log records. */
export class ErrorLog {
  /** Minimum slog level that is logged. */
  level: number;
  /** The stderr format (the stream always carries text lines). */
  format: LogFormat = 'text';
  readonly hub: LogHub;
  readonly #stderr: NodeJS.WritableStream;
  readonly #metrics: ServerMetrics;

  constructor(hub: LogHub, stderr: NodeJS.WritableStream, level: number, metrics: ServerMetrics) {
    this.hub = hub;
    this.#stderr = stderr;
    this.level = level;
    this.#metrics = metrics;
  }

  /** Logs `message` at `level` with `attrs` if the level is enabled (both cut to {@link MAX_MESSAGE_CHARS}). Never throws. */
  log(level: number, message: string, attrs: readonly LogAttr[] = []): void {
    if (level < this.level) return;
    message = truncate(message, MAX_MESSAGE_CHARS);
    if (attrs.some(([, v]) => typeof v === 'string' && v.length > MAX_MESSAGE_CHARS)) {
      attrs = attrs.map(([k, v]) => [k, typeof v === 'string' ? truncate(v, MAX_MESSAGE_CHARS) : v] as const);
    }
    const now = new Date();
    const text = this.format === 'text' || this.hub.size > 0 ? formatTextRecord(now, level, message, attrs) : '';
    this.#stderr.write(`${this.format === 'json' ? formatJsonRecord(now, level, message, attrs) : text}\n`);
    if (this.hub.size > 0 && this.hub.publish(goJson({ message: text })) > 0) this.#metrics.errorEventStreamed();
  }

  /** {@link log} at DEBUG. */
  debug(message: string, attrs?: readonly LogAttr[]): void {
    this.log(LogLevel.DEBUG, message, attrs);
  }

  /** {@link log} at INFO. */
  info(message: string, attrs?: readonly LogAttr[]): void {
    this.log(LogLevel.INFO, message, attrs);
  }

  /** {@link log} at WARN. */
  warn(message: string, attrs?: readonly LogAttr[]): void {
    this.log(LogLevel.WARN, message, attrs);
  }

  /** {@link log} at ERROR. */
  error(message: string, attrs?: readonly LogAttr[]): void {
    this.log(LogLevel.ERROR, message, attrs);
  }
}
