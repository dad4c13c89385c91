/**
 * Small formatting helpers for human output.
 */
import type { Durations } from './durations.js';
import type { Style } from './style.js';

/**
 * `YYYY-MM-DD HH:MM:SS` of an RFC 3339 timestamp, in the timestamp's own zone (as the Go CLI prints `t.Date()` /
 * `t.Clock()`). Text that is not RFC 3339 is returned unchanged; an empty text gives `''`.
 */
export function formatDateTime(rfc3339: string | undefined): string {
  if (rfc3339 === undefined) return '';
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})/.exec(rfc3339);
  return m === null ? rfc3339 : `${m[1]} ${m[2]}`;
}

/** Bytes in decimal units with one decimal (`512 B`, `1.5 kB`, `23.4 MB`, `1.2 GB`). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A duration in nanoseconds as a Go duration string, shortened like the Go CLI does for latencies: ≥ 1 s to 10 ms,
 * ≥ 1 ms to 10 µs, otherwise to 1 µs (`1.05s`, `345.76ms`, `12µs`).
 */
export function formatLatency(ns: number, d: Durations): string {
  const n = Math.max(0, Math.trunc(ns));
  const step = n >= 1e9 ? 1e7 : n >= 1e6 ? 1e4 : 1e3;
  return d.format(BigInt(Math.trunc(n / step) * step));
}

/** A duration in milliseconds as a Go duration string rounded to whole ms (`3ms`, `1.204s`). */
export function formatMillis(ms: number, d: Durations): string {
  return d.format(BigInt(Math.round(ms)) * 1_000_000n);
}

/** Uptime in words: `42 seconds`, `5 minutes`, `3 hours`, `2 days 4 hours`. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s > 86_400) return `${Math.floor(s / 86_400)} days ${Math.floor((s % 86_400) / 3600)} hours`;
  if (s > 3600) return `${Math.round(s / 3600)} hours`;
  if (s > 60) return `${Math.round(s / 60)} minutes`;
  return `${Math.round(s)} seconds`;
}

/** One line of a detail view (`kes key info`, `kes identity info`, …): the label faint, padded to 11, then the value. */
export function labelled(s: Style, label: string, value: string): string {
  return `${s.faint(padEnd(label, 11))} ${value}\n`;
}

/** Pads `text` with spaces on the right to `width` characters. */
export function padEnd(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** Pads `text` with spaces on the left to `width` characters. */
export function padStart(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}
