/**
 * One log record as a Go `slog.TextHandler` line (spec §9.2): `time=… level=… msg=… key=value …`, with values quoted
 * (Go `strconv.Quote` style) when they are empty or contain spaces, `=`, `"` or control characters.
 */
import { levelName } from './levels.js';

/** An attribute of a log record; attributes with an `undefined` value are left out. */
export type LogAttr = readonly [key: string, value: string | number | undefined];

const NEEDS_QUOTING = /[\s"=\\\u0000-\u001f\u007f-\u009f\ufffd]/;

function quoteIfNeeded(value: string): string {
  return value === '' || NEEDS_QUOTING.test(value) ? JSON.stringify(value) : value;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** slog's time format: RFC 3339 with milliseconds in the local zone, e.g. `2024-01-12T10:39:20.886+01:00`. */
export function formatLocalTime(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const zone =
    offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}${zone}`
  );
}

/** Formats a record without a trailing newline. Never throws. */
export function formatTextRecord(date: Date, level: number, message: string, attrs: readonly LogAttr[] = []): string {
  let line = `time=${formatLocalTime(date)} level=${levelName(level)} msg=${quoteIfNeeded(message)}`;
  for (const [key, value] of attrs) {
    if (value === undefined) continue;
    line += ` ${key}=${quoteIfNeeded(String(value))}`;
  }
  return line;
}
