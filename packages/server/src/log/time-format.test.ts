import fc from 'fast-check';
import { formatTimestamp } from '@kes/core';
import { describe, expect, it } from 'vitest';
import { formatTime } from './time-format.js';

describe('formatTime', () => {
  it('equals formatTimestamp for any timestamp, in any order (property)', () => {
    const ts = fc.record({ seconds: fc.bigInt({ min: -62135596800n, max: 253402300799n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) });
    fc.assert(
      fc.property(fc.array(ts, { minLength: 1, maxLength: 8 }), (list) => {
        for (const t of list) {
          expect(formatTime(t)).toBe(formatTimestamp(t));
          expect(formatTime({ seconds: t.seconds, nanos: 0 })).toBe(formatTimestamp({ seconds: t.seconds, nanos: 0 }));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
