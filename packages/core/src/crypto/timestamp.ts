/**
 * Instants with nanosecond precision, as KES stores them (protobuf `google.protobuf.Timestamp`, legacy RFC 3339 text)
 * and renders them (Go's `time.RFC3339Nano` in UTC; spec `kes-protocol.md` §1.4, §10 item 11).
 */

/** An instant: whole `seconds` since the Unix epoch (may be negative) plus `nanos` in `[0, 999 999 999]`. */
export interface Timestamp {
  readonly seconds: bigint;
  readonly nanos: number;
}

/** Go's zero `time.Time` (0001-01-01T00:00:00Z): the creation time of keys stored without one. */
export const ZERO_TIMESTAMP: Timestamp = Object.freeze({ seconds: -62135596800n, nanos: 0 });

/** The Unix epoch (what Go's `(*timestamppb.Timestamp)(nil).AsTime()` yields). */
export const UNIX_EPOCH_TIMESTAMP: Timestamp = Object.freeze({ seconds: 0n, nanos: 0 });

const SECONDS_PER_DAY = 86400n;

/** The current wall-clock time (millisecond resolution). Never throws. */
export function timestampNow(): Timestamp {
  const ms = Date.now();
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Days since 1970-01-01 → proleptic Gregorian [year, month 1–12, day 1–31] (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Proleptic Gregorian date → days since 1970-01-01 (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Renders `ts` like Go's `t.UTC().Format(time.RFC3339Nano)`: `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with the fraction's
 * trailing zeros trimmed (none when `nanos` is 0). {@link ZERO_TIMESTAMP} → `0001-01-01T00:00:00Z`. Years outside
 * 0–9999 are rendered as Go does (`-0001`, `10000`). Never throws for a valid Timestamp.
 */
export function formatTimestamp(ts: Timestamp): string {
  let days = ts.seconds / SECONDS_PER_DAY;
  let secOfDay = ts.seconds % SECONDS_PER_DAY;
  if (secOfDay < 0n) {
    secOfDay += SECONDS_PER_DAY;
    days -= 1n;
  }
  const [year, month, day] = civilFromDays(Number(days));
  const sod = Number(secOfDay);
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  const time = `${pad(Math.floor(sod / 3600), 2)}:${pad(Math.floor(sod / 60) % 60, 2)}:${pad(sod % 60, 2)}`;
  let text = `${yearText}-${pad(month, 2)}-${pad(day, 2)}T${time}`;
  if (ts.nanos !== 0) text += `.${pad(ts.nanos, 9).replace(/0+$/, '')}`;
  return `${text}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 timestamp the way Go's `time.Time.UnmarshalJSON` does for well-formed input: 4-digit year,
 * 2-digit fields, upper-case `T` and `Z`, `.` followed by any number of fraction digits (digits past the ninth are
 * truncated), offset `Z` or `±hh:mm` (hh < 24, mm < 60); the date must exist and seconds must be < 60.
 * Returns the instant with its nanoseconds exactly, or `undefined` when the text does not parse. Never throws.
 */
export function parseTimestamp(text: string): Timestamp | undefined {
  const m = typeof text === 'string' ? RFC3339.exec(text) : null;
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (hour === undefined || minute === undefined || second === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offset = (oh * 3600 + om * 60) * (m[9] === '-' ? -1 : 1);
  }
  const nanos = m[7] === undefined ? 0 : Number(m[7].slice(0, 9).padEnd(9, '0'));
  const local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return { seconds: BigInt(local - offset), nanos };
}

/** True iff `a` and `b` are the same instant. Never throws. */
export function timestampsEqual(a: Timestamp, b: Timestamp): boolean {
  return a.seconds === b.seconds && a.nanos === b.nanos;
}
