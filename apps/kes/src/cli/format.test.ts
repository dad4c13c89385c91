import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDurations } from './durations.js';
import { formatBytes, formatDateTime, formatLatency, formatMillis, formatUptime, padEnd, padStart } from './format.js';

describe('format helpers', () => {
  it('formatDateTime takes date and clock in the timestamp’s own zone', () => {
    expect(formatDateTime('2024-01-12T10:39:20.886816Z')).toBe('2024-01-12 10:39:20');
    expect(formatDateTime('2024-01-12T10:39:20+01:00')).toBe('2024-01-12 10:39:20');
    expect(formatDateTime('0001-01-01T00:00:00Z')).toBe('0001-01-01 00:00:00');
    expect(formatDateTime('garbage')).toBe('garbage');
    expect(formatDateTime(undefined)).toBe('');
  });

  it('formatBytes uses decimal units with one decimal', () => {
    expect([0, 999, 1000, 1550, 23_400_000, 1.2e9].map(formatBytes)).toEqual(['0 B', '999 B', '1.0 kB', '1.6 kB', '23.4 MB', '1.2 GB']);
  });

  it('formatLatency shortens like the Go CLI; formatMillis rounds to ms', async () => {
    const d = await loadDurations();
    expect(formatLatency(1_054_321_000, d)).toBe('1.05s');
    expect(formatLatency(345_768_123, d)).toBe('345.76ms');
    expect(formatLatency(12_345, d)).toBe('12µs');
    expect(formatLatency(0, d)).toBe('0s');
    expect(formatMillis(1204.4, d)).toBe('1.204s');
    expect(formatMillis(15_000, d)).toBe('15s');
  });

  it('formatUptime picks the unit', () => {
    expect([5, 120, 7200, 90_000 + 3600].map(formatUptime)).toEqual(['5 seconds', '2 minutes', '2 hours', '1 days 2 hours']);
  });

  it('padEnd/padStart never truncate and reach the width (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.nat(30), (s, w) => {
        for (const out of [padEnd(s, w), padStart(s, w)]) {
          expect(out.length).toBe(Math.max(s.length, w));
          expect(out.trim()).toBe(s.trim());
        }
      }),
    );
  });
});
