import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGoDuration, nanosToMillis, parseGoDuration } from './duration.js';

const S = 1_000_000_000n;

describe('parseGoDuration', () => {
  it.each([
    ['0', 0n],
    ['-0', 0n],
    ['+0', 0n],
    ['0s', 0n],
    ['5m0s', 300n * S],
    ['30s', 30n * S],
    ['1h', 3600n * S],
    ['1h30m', 5400n * S],
    ['1.5s', 1_500_000_000n],
    ['.5s', 500_000_000n],
    ['5.s', 5n * S],
    ['500ms', 500_000_000n],
    ['10us', 10_000n],
    ['10µs', 10_000n],
    ['10μs', 10_000n],
    ['7ns', 7n],
    ['-30s', -30n * S],
    ['1h1m1s1ms1us1ns', 3661n * S + 1_001_001n],
    ['2562047h47m16.854775807s', (1n << 63n) - 1n],
    ['-2562047h47m16.854775808s', -(1n << 63n)],
  ])('%s → %s ns', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  it.each(['', '5', '15', '1', 's', '.s', '1d', '1 s', ' 1s', '1s ', '1h-1m', '--1s', '1.2.3s', 'abc', '1S', '2562047h47m16.854775808s', '9223372036854775808ns'])(
    'rejects %j',
    (text) => {
      expect(parseGoDuration(text)).toBeUndefined();
    },
  );

  it('is the inverse of formatGoDuration (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n) + 1n, max: (1n << 63n) - 1n }), (ns) => {
        expect(parseGoDuration(formatGoDuration(ns))).toBe(ns);
      }),
    );
  });

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseGoDuration(s)));
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1_100n, '1.1µs'],
    [2_200_000n, '2.2ms'],
    [S, '1s'],
    [1_500_000_000n, '1.5s'],
    [30n * S, '30s'],
    [60n * S, '1m0s'],
    [300n * S, '5m0s'],
    [3600n * S, '1h0m0s'],
    [5400n * S + 500_000_000n, '1h30m0.5s'],
    [-30n * S, '-30s'],
    [(1n << 63n) - 1n, '2562047h47m16.854775807s'],
  ])('%s ns → %s', (ns, text) => {
    expect(formatGoDuration(ns)).toBe(text);
  });
});

describe('nanosToMillis', () => {
  it('keeps fractions', () => {
    expect(nanosToMillis(300n * S)).toBe(300_000);
    expect(nanosToMillis(500_000n)).toBe(0.5);
    expect(nanosToMillis(-30n * S)).toBe(-30_000);
  });
});
