import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGoDurationMs } from './go-duration.js';
import { healthError, parseHealth } from './health.js';
import { TRANSIT_CIPHERTEXT, textToValue, valueToText } from './value-codec.js';

describe('values as K/V text', () => {
  it('UTF-8 text round-trips byte for byte (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => Buffer.from(textToValue(valueToText(Buffer.from(s)))).equals(Buffer.from(s))));
  });

  it('refuses bytes that are not UTF-8, pointing at transit', () => {
    expect(() => valueToText(Uint8Array.of(0xff, 0xfe))).toThrow(/configure transit/);
  });

  it('recognises transit ciphertexts of any key version', () => {
    expect(TRANSIT_CIPHERTEXT.test('vault:v1:abc')).toBe(true);
    expect(TRANSIT_CIPHERTEXT.test('vault:v12:abc')).toBe(true);
    expect(TRANSIT_CIPHERTEXT.test('vault:vx:abc')).toBe(false);
    expect(TRANSIT_CIPHERTEXT.test('eyJ2YXVsdDp2MTo=')).toBe(false);
  });
});

describe('sys/health answers', () => {
  it('reads initialized/sealed and maps unusable states to KEYSTORE_UNREACHABLE', () => {
    expect(parseHealth({ initialized: true, sealed: false, standby: false })).toEqual({ initialized: true, sealed: false });
    expect(healthError({ initialized: true, sealed: false })).toBeUndefined();
    expect(healthError({ initialized: true, sealed: true })?.message).toBe('kes: keystore unreachable: vault: key store is sealed');
    expect(healthError({ initialized: false, sealed: true })?.message).toBe('kes: keystore unreachable: vault: not initialized');
  });

  it('does not trust error bodies that node-vault resolves health calls with', () => {
    for (const body of [{ errors: ['unsupported path'] }, '<html>', null, { initialized: 'true', sealed: false }]) {
      expect(parseHealth(body)).toBeUndefined();
    }
    fc.assert(fc.property(fc.anything(), (b) => parseHealth(b) === undefined || typeof parseHealth(b)?.sealed === 'boolean'));
  });
});

describe('parseGoDurationMs', () => {
  it('parses Go duration texts', () => {
    const cases: [string, number][] = [['15s', 15_000], ['1m30s', 90_000], ['500ms', 500], ['1.5h', 5_400_000], ['0', 0], ['-2s', -2000], ['1h0m0s', 3_600_000], ['250us', 0.25], ['+3m', 180_000]];
    for (const [text, ms] of cases) expect(parseGoDurationMs(text), text).toBe(ms);
  });

  it('rejects what Go rejects', () => {
    for (const text of ['', '15', 's', '1 s', '1d', '.s', '1.2.3s', '--1s', '9999999999h']) expect(parseGoDurationMs(text), text).toBeUndefined();
  });

  it('sums its components (property)', () => {
    const unit = fc.constantFrom(['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]) as fc.Arbitrary<[string, number]>;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), unit), { minLength: 1, maxLength: 4 }), (parts) => {
        const text = parts.map(([n, [u]]) => `${n}${u}`).join('');
        return parseGoDurationMs(text) === parts.reduce((sum, [n, [, f]]) => sum + n * f, 0);
      }),
    );
  });
});
