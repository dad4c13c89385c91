/**
 * `formatTimestamp` (Go RFC3339Nano, UTC) for timestamps that arrive in order, as the audit log's do: the date and
 * time of day are formatted once per second and reused, only the fraction is formatted per call.
 */
import { formatTimestamp, type Timestamp } from '@kes/core';

let cachedSeconds: bigint | undefined;
let cachedPrefix = '';

/** Exactly `formatTimestamp(ts)`, cheaper for consecutive calls within one second. Never throws. */
export function formatTime(ts: Timestamp): string {
  if (ts.seconds !== cachedSeconds) {
    const whole = formatTimestamp({ seconds: ts.seconds, nanos: 0 });
    if (!whole.endsWith('Z') || whole.includes('.')) return formatTimestamp(ts);
    cachedSeconds = ts.seconds;
    cachedPrefix = whole.slice(0, -1);
  }
  if (ts.nanos === 0) return `${cachedPrefix}Z`;
  let frac = String(ts.nanos).padStart(9, '0');
  let end = frac.length;
  while (frac.charCodeAt(end - 1) === 0x30) end--;
  frac = frac.slice(0, end);
  return `${cachedPrefix}.${frac}Z`;
}
