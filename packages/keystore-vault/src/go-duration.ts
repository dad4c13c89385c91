/**
 * Go `time.Duration` text as KES config files write it (`15s`, `1m30s`, `500ms`, `1.5h`, `0`).
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC greek mu
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's int64 nanosecond limit, in milliseconds (about 292 years). */
const MAX_MS = 9_223_372_036_854.775;

/**
 * Parses a Go duration string like `time.ParseDuration`: an optional sign, then one or more `<number><unit>`
 * components (`ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`; numbers may have a fraction), or the bare `0`.
 * No whitespace is allowed.
 * @returns milliseconds (fractional for sub-millisecond parts), or `undefined` when `text` is not a valid duration
 *   or exceeds Go's int64 nanoseconds. Never throws.
 */
export function parseGoDurationMs(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0; // Go accepts the bare 0 (also signed)
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if ((number[1] ?? '') === '' && (number[2] ?? '') === '') return undefined;
    rest = rest.slice(number[0].length);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    const factor = unit === undefined ? undefined : UNIT_MS[unit];
    if (unit === undefined || factor === undefined) return undefined;
    rest = rest.slice(unit.length);
    total += Number(`${number[1] || '0'}.${number[2] || '0'}`) * factor;
    if (total > MAX_MS) return undefined;
  }
  return total === 0 ? 0 : sign * total;
}
