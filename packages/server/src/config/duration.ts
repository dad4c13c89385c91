/**
 * Go `time.Duration` text, as KES config files write durations (`5m0s`, `30s`, `1h`, `1.5s`, `500ms`, `0`).
 * Values are nanoseconds as `bigint`, like Go's int64.
 */

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;

/**
 * Parses a Go duration string exactly like Go's `time.ParseDuration`: an optional sign, then one or more
 * `<number><unit>` components (units `ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`; numbers may have a fraction),
 * or the bare string `0`. Whitespace is not allowed.
 * @returns the duration in nanoseconds, or `undefined` when `text` is not a valid duration or overflows int64.
 */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const intDigits = m?.[1] ?? '';
    const fracDigits = m?.[2] ?? '';
    if (intDigits === '' && fracDigits === '') return undefined; // no digits at all
    s = s.slice(m![0].length);
    const unitMatch = /^[^\d.]+/.exec(s);
    if (!unitMatch) return undefined; // missing unit
    const unit = UNITS[unitMatch[0]];
    if (unit === undefined) return undefined; // unknown unit
    s = s.slice(unitMatch[0].length);
    let value = BigInt(intDigits === '' ? '0' : intDigits) * unit;
    if (fracDigits !== '') value += (BigInt(fracDigits) * unit) / 10n ** BigInt(fracDigits.length);
    total += value;
    if (total > MAX_INT64 + (negative ? 1n : 0n)) return undefined;
  }
  return negative ? -total : total;
}

/**
 * Formats nanoseconds like Go's `Duration.String()`: `0s`, `1.5s`, `5m0s`, `1h0m0s`, `500ms`, `1µs`, `-30s`.
 * Never throws.
 */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const negative = ns < 0n;
  let u = negative ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u < 1_000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${fraction(u, 3)}µs`;
    else out = `${fraction(u, 6)}ms`;
  } else {
    out = `${fraction(u % 60_000_000_000n, 9)}s`;
    u /= 60_000_000_000n; // whole minutes
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return negative ? `-${out}` : out;
}

/** Nanoseconds → milliseconds as a JS number (fractions kept). */
export function nanosToMillis(ns: bigint): number {
  return Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
}

// --- Internal helpers ---

/** `v / 10^digits` with the fraction's trailing zeros (and a bare dot) removed. */
function fraction(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac === '' ? `${whole}` : `${whole}.${frac}`;
}
