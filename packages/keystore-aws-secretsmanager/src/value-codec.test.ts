import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromSecretValue, toSecretValue } from './value-codec.js';

describe('toSecretValue / fromSecretValue', () => {
  it('stores stored-key text (ASCII) as SecretString, exactly as upstream KES does', () => {
    const text = 'CiQKIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gEAE=';
    expect(toSecretValue(Buffer.from(text, 'ascii'))).toEqual({ SecretString: text });
  });

  it('stores bytes that are not UTF-8 as SecretBinary (a copy)', () => {
    const bytes = Uint8Array.of(0xff, 0x00, 0x80);
    const value = toSecretValue(bytes);
    expect(value).toEqual({ SecretBinary: bytes });
    bytes[0] = 1;
    expect(value.SecretBinary?.[0]).toBe(0xff);
  });

  it('keeps a byte-order mark and NUL bytes inside SecretString', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0x41, 0x00);
    expect(fromSecretValue('k', toSecretValue(bytes) as never)).toEqual(bytes);
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'grapheme' }).map((s) => new TextEncoder().encode(s))), (bytes) => {
        const stored = toSecretValue(bytes);
        expect(fromSecretValue('k', stored as never)).toEqual(bytes);
      }),
    );
  });

  it('prefers SecretString like KES; a secret without a value is an INVALID_STORED_KEY', () => {
    expect(fromSecretValue('k', { SecretString: 'a', SecretBinary: Uint8Array.of(1) })).toEqual(Uint8Array.of(0x61));
    expect(fromSecretValue('k', { SecretString: '' })).toEqual(new Uint8Array());
    expect(() => fromSecretValue('k', {})).toThrow(expect.objectContaining({ code: 'INVALID_STORED_KEY', message: "kes: invalid stored key: aws: secret 'k' has neither SecretString nor SecretBinary" }));
  });
});
