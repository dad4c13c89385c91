import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, isValidBase64 } from './base64.js';
import { isKesError } from './errors.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

function rejects(input: string): boolean {
  try {
    decodeBase64(input);
    return false;
  } catch (err) {
    return isKesError(err, 'INVALID_BASE64') && err.status === 400 && err.message === 'illegal base64 data';
  }
}

describe('encodeBase64 / decodeBase64', () => {
  it('handles the RFC 4648 test vectors', () => {
    const cases: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of cases) {
      expect(encodeBase64(new TextEncoder().encode(plain))).toBe(encoded);
      expect(text(decodeBase64(encoded))).toBe(plain);
    }
  });

  it('encodes a view of a larger buffer without its neighbours', () => {
    const backing = new Uint8Array([1, 2, 3, 0xfb, 0xff, 9]);
    expect(encodeBase64(backing.subarray(3, 5))).toBe('+/8=');
  });

  it('uses the standard alphabet', () => {
    expect(Array.from(decodeBase64('+/+/'))).toEqual([0xfb, 0xff, 0xbf]);
  });

  it('accepts non-zero unused bits in the last character, like Go StdEncoding', () => {
    expect(text(decodeBase64('Zh=='))).toBe('f');
    expect(text(decodeBase64('Zm9='))).toBe('fo');
  });

  it('rejects unpadded, URL-safe, whitespace, junk and misplaced padding', () => {
    for (const bad of [
      'Zg', 'Zg=', 'Zm8', 'Zm9vYg', '-_-_', 'Zm9-', 'Zm9_', ' Zm9v', 'Zm9v ', 'Zm9v\n', 'Zm\n9v', 'Zm9v\r\n', '\tZm9v',
      'Zg==Zg==', '=Zg=', 'Z===', '====', 'Zm9v=', 'Zm9v====', 'Zm9\u00e9', 'Zm9\u2028', 'Zm.v', 'Zm9v\0',
    ]) {
      expect(rejects(bad), JSON.stringify(bad)).toBe(true);
      expect(isValidBase64(bad)).toBe(false);
    }
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = encodeBase64(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        expect(Buffer.from(decodeBase64(encoded)).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  const alphabetish = fc.string({
    unit: fc.constantFrom(...'ABCDEFabcdef0189+/=-_ \n\r\t.*'.split('')),
    maxLength: 24,
  });

  it('agrees with the Buffer round-trip reference on arbitrary text', () => {
    fc.assert(
      fc.property(alphabetish, (s) => {
        const reference = Buffer.from(s, 'base64');
        const canonical = reference.toString('base64') === s;
        let decoded: Uint8Array | undefined;
        try {
          decoded = decodeBase64(s);
        } catch (err) {
          expect(isKesError(err, 'INVALID_BASE64')).toBe(true);
        }
        if (canonical) expect(decoded).toBeDefined();
        if (decoded !== undefined) {
          expect(Buffer.from(decoded).equals(reference)).toBe(true);
          expect(s.length).toBe(4 * Math.ceil(decoded.length / 3));
          expect(/^[A-Za-z0-9+/]*={0,2}$/.test(s)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  const whitespace = fc.constantFrom(' ', '\n', '\r', '\t');

  it('rejects every unpadded, URL-safe or whitespace-bearing variant of a valid encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), whitespace, (bytes, at, ws) => {
        const encoded = encodeBase64(bytes);
        if (encoded.endsWith('=')) expect(rejects(encoded.replace(/=+$/, ''))).toBe(true);
        const urlSafe = encoded.replace(/\+/g, '-').replace(/\//g, '_');
        if (urlSafe !== encoded) expect(rejects(urlSafe)).toBe(true);
        const i = at % (encoded.length + 1);
        expect(rejects(encoded.slice(0, i) + ws + encoded.slice(i))).toBe(true);
      }),
    );
  });
});
