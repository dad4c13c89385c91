import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ZERO_TIMESTAMP,
  formatTimestamp,
  parseTimestamp,
  timestampNow,
  timestampsEqual,
  type Timestamp,
} from './timestamp.js';

const ts = (seconds: number | bigint, nanos = 0): Timestamp => ({ seconds: BigInt(seconds), nanos });

describe('formatTimestamp', () => {
  it('renders like Go RFC3339Nano in UTC', () => {
    expect(formatTimestamp(ZERO_TIMESTAMP)).toBe('0001-01-01T00:00:00Z');
    expect(formatTimestamp(ts(0))).toBe('1970-01-01T00:00:00Z');
    expect(formatTimestamp(ts(1705055960, 886816000))).toBe('2024-01-12T10:39:20.886816Z');
    expect(formatTimestamp(ts(1257894000))).toBe('2009-11-10T23:00:00Z');
    expect(formatTimestamp(ts(-1, 999_999_999))).toBe('1969-12-31T23:59:59.999999999Z');
    expect(formatTimestamp(ts(951782400, 100))).toBe('2000-02-29T00:00:00.0000001Z');
    expect(formatTimestamp(ts(253402300799, 500_000_000))).toBe('9999-12-31T23:59:59.5Z');
    expect(formatTimestamp(ts(253402300800))).toBe('10000-01-01T00:00:00Z');
    expect(formatTimestamp(ts(-62135596801n))).toBe('0000-12-31T23:59:59Z');
    expect(formatTimestamp(ts(-62167219201n))).toBe('-0001-12-31T23:59:59Z');
  });

  it('agrees with Date#toISOString for millisecond instants', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62135596800000, max: 253402300799999 }), (ms) => {
        const seconds = Math.floor(ms / 1000);
        const nanos = (ms - seconds * 1000) * 1e6;
        const iso = new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z').replace(/\.(\d*?)0*Z$/, '.$1Z');
        expect(formatTimestamp(ts(seconds, nanos))).toBe(iso);
      }),
    );
  });
});

describe('parseTimestamp', () => {
  it('keeps nanoseconds and applies offsets', () => {
    expect(parseTimestamp('2024-01-12T11:39:20.886816+01:00')).toEqual(ts(1705055960, 886816000));
    expect(parseTimestamp('2009-11-10T23:00:00Z')).toEqual(ts(1257894000));
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toEqual(ZERO_TIMESTAMP);
    expect(parseTimestamp('1970-01-01T00:00:00.000000001Z')).toEqual(ts(0, 1));
    expect(parseTimestamp('1970-01-01T00:00:00.1234567891234Z')).toEqual(ts(0, 123456789));
    expect(parseTimestamp('1969-12-31T19:00:00-05:00')).toEqual(ts(0));
    expect(parseTimestamp('2000-02-29T23:59:59+23:59')).toEqual(ts(951868799 - 86340));
  });

  it('rejects what Go rejects', () => {
    for (const bad of [
      '', '2024-01-12', '2024-01-12 10:39:20Z', '2024-01-12t10:39:20Z', '2024-01-12T10:39:20z', '2024-01-12T10:39:20',
      '2024-1-12T10:39:20Z', '24-01-12T10:39:20Z', '2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-04-31T00:00:00Z',
      '2024-01-12T24:00:00Z', '2024-01-12T10:60:00Z', '2024-01-12T10:39:60Z', '2024-01-12T10:39:20.Z',
      '2024-01-12T10:39:20,5Z', '2024-01-12T10:39:20+24:00', '2024-01-12T10:39:20+01:60', '2024-01-12T10:39:20+0100',
      ' 2024-01-12T10:39:20Z', '2024-01-12T10:39:20Z ', '+2024-01-12T10:39:20Z', '２０２４-01-12T10:39:20Z',
    ]) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
  });

  it('inverts formatTimestamp for years 0000–9999', () => {
    const seconds = fc.bigInt({ min: -62167219200n, max: 253402300799n });
    fc.assert(
      fc.property(seconds, fc.integer({ min: 0, max: 999_999_999 }), (s, n) => {
        const t = ts(s, n);
        const back = parseTimestamp(formatTimestamp(t));
        expect(back !== undefined && timestampsEqual(back, t)).toBe(true);
      }),
    );
  });
});

describe('timestampNow', () => {
  it('is the current time with valid nanos', () => {
    const before = Date.now();
    const now = timestampNow();
    const ms = Number(now.seconds) * 1000 + now.nanos / 1e6;
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
    expect(now.nanos).toBeGreaterThanOrEqual(0);
    expect(now.nanos).toBeLessThan(1e9);
  });
});
