import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKesError } from '../errors.js';
import type { KeyType } from './key-type.js';
import { SecretKey } from './secret-key.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// Fixed vectors computed independently of this code base (Python `cryptography` AESGCM / ChaCha20Poly1305 plus a
// from-scratch HChaCha20), for key = SHA-256("kes-ts test key"), IV = 40..4f, nonce = 80..8b.
const KEY = createHash('sha256').update('kes-ts test key').digest();
const PLAINTEXT = utf8('KES-compatible test vector');
const CONTEXT = utf8('{"aws:s3:arn":"arn:aws:s3:::bucket/object"}');
const TAIL = '404142434445464748494a4b4c4d4e4f808182838485868788898a8b';
const AES_CT = '2a56cc5de8b1ce4610bbae385fa29cb1fd49d13c756e6ab73c6a';
const CHACHA_CT = '732d0f20110f3504afbc08f124862e3479c70811d762e0a15387';
const VECTORS: Array<{ type: KeyType; context: Uint8Array | undefined; ciphertext: string }> = [
  { type: 'AES256', context: undefined, ciphertext: `${AES_CT}975314e42850ebf7a8497a49c94abf47${TAIL}` },
  { type: 'AES256', context: CONTEXT, ciphertext: `${AES_CT}09c56299d8df34ca8c9ef7c00fd99d97${TAIL}` },
  { type: 'ChaCha20', context: undefined, ciphertext: `${CHACHA_CT}97fcc4fc0805e3bb3b85007db9a9e335${TAIL}` },
  { type: 'ChaCha20', context: CONTEXT, ciphertext: `${CHACHA_CT}71745c1646b3f739f0ae9282f93fbeab${TAIL}` },
];
const EMPTY_PLAINTEXT_AES = `49d8ed867c0d8894a4ebddb32d3be2a9${TAIL}`;

function notAuthentic(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    const message = 'decryption failed: ciphertext is not authentic';
    return isKesError(err, 'NOT_AUTHENTIC') && err.status === 400 && err.message === message;
  }
}

/** Independent AES256 decryption of a raw ciphertext straight from the spec (HMAC-SHA-256 KDF + AES-256-GCM). */
function referenceOpenAes(key: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array): Buffer {
  const n = ciphertext.length;
  const dk = createHmac('sha256', key).update(ciphertext.subarray(n - 28, n - 12)).digest();
  const d = createDecipheriv('aes-256-gcm', dk, ciphertext.subarray(n - 12), { authTagLength: 16 });
  d.setAuthTag(ciphertext.subarray(n - 44, n - 28));
  d.setAAD(ad);
  return Buffer.concat([d.update(ciphertext.subarray(0, n - 44)), d.final()]);
}

const keyTypes = fc.constantFrom<KeyType>('AES256', 'ChaCha20');
const keyBytes = fc.uint8Array({ minLength: 32, maxLength: 32 });
const byteDelta = fc.integer({ min: 1, max: 255 });
const context = fc.option(fc.uint8Array({ maxLength: 80 }), { nil: undefined });

describe('SecretKey', () => {
  it('decrypts the independent fixed vectors and rejects them under the wrong context', () => {
    for (const v of VECTORS) {
      const key = new SecretKey(v.type, KEY);
      expect(hex(key.decrypt(fromHex(v.ciphertext), v.context))).toBe(hex(PLAINTEXT));
      const wrong = v.context === undefined ? CONTEXT : undefined;
      expect(notAuthentic(() => key.decrypt(fromHex(v.ciphertext), wrong))).toBe(true);
      const other: KeyType = v.type === 'AES256' ? 'ChaCha20' : 'AES256';
      expect(notAuthentic(() => new SecretKey(other, KEY).decrypt(fromHex(v.ciphertext), v.context))).toBe(true);
    }
    expect(new SecretKey('AES256', KEY).decrypt(fromHex(EMPTY_PLAINTEXT_AES)).length).toBe(0);
  });

  it('produces ciphertexts an independent AES256 implementation opens', () => {
    const key = new SecretKey('AES256', KEY);
    const ct = key.encrypt(PLAINTEXT, CONTEXT);
    expect(hex(referenceOpenAes(KEY, ct, CONTEXT))).toBe(hex(PLAINTEXT));
  });

  it('treats an empty context exactly like an absent one', () => {
    for (const type of ['AES256', 'ChaCha20'] as const) {
      const key = SecretKey.generate(type);
      expect(hex(key.decrypt(key.encrypt(PLAINTEXT), new Uint8Array(0)))).toBe(hex(PLAINTEXT));
      expect(hex(key.decrypt(key.encrypt(PLAINTEXT, new Uint8Array(0))))).toBe(hex(PLAINTEXT));
    }
  });

  it('round-trips any plaintext and context for both key types, with output length |p| + 44', () => {
    fc.assert(
      fc.property(keyTypes, keyBytes, fc.uint8Array({ maxLength: 300 }), context, (type, k, p, ad) => {
        const key = new SecretKey(type, k);
        const c = key.encrypt(p, ad);
        expect(c.length).toBe(p.length + 44);
        expect(hex(key.decrypt(c, ad))).toBe(hex(p));
      }),
    );
  });

  it('never repeats IV and nonce', () => {
    const key = SecretKey.generate();
    const tails = new Set<string>();
    for (let i = 0; i < 2000; i++) tails.add(hex(key.encrypt(PLAINTEXT).subarray(-28)));
    expect(tails.size).toBe(2000);
  });

  it('rejects any single-byte change, truncation or extension of a valid ciphertext', () => {
    fc.assert(
      fc.property(keyTypes, keyBytes, fc.uint8Array({ maxLength: 64 }), context, fc.nat(), byteDelta, (type, k, p, ad, at, delta) => {
        const key = new SecretKey(type, k);
        const c = key.encrypt(p, ad);
        const mutated = Uint8Array.from(c);
        const i = at % c.length;
        mutated[i] = (mutated[i]! + delta) & 0xff;
        expect(notAuthentic(() => key.decrypt(mutated, ad))).toBe(true);
        expect(notAuthentic(() => key.decrypt(c.subarray(0, at % c.length), ad))).toBe(true);
        expect(notAuthentic(() => key.decrypt(c.subarray(1 + (at % (c.length - 1))), ad))).toBe(true);
        expect(notAuthentic(() => key.decrypt(Buffer.concat([c, Buffer.of(delta)]), ad))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects short and garbage input with NOT_AUTHENTIC only', () => {
    const key = SecretKey.generate('ChaCha20');
    for (let n = 0; n <= 44; n++) expect(notAuthentic(() => key.decrypt(new Uint8Array(n)))).toBe(true);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), context, (c, ad) => {
        expect(notAuthentic(() => key.decrypt(c, ad))).toBe(true);
      }),
    );
  });

  it('copies its key bytes and validates their length', () => {
    const bytes = new Uint8Array(32).fill(7);
    const key = new SecretKey('AES256', bytes);
    bytes.fill(0);
    expect(key.bytes.every((b) => b === 7)).toBe(true);
    for (const n of [0, 16, 31, 33, 64]) {
      const error = expect.objectContaining({ code: 'INVALID_KEY_SIZE', status: 406 });
      expect(() => new SecretKey('ChaCha20', new Uint8Array(n))).toThrow(error);
    }
    expect(SecretKey.generate().type).toBe('AES256');
    expect(SecretKey.generate('ChaCha20').type).toBe('ChaCha20');
    expect(hex(SecretKey.generate().bytes)).not.toBe(hex(SecretKey.generate().bytes));
  });
});
