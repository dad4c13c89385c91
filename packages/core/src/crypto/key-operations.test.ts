import { createHash, createHmac } from 'node:crypto';
import { encode as encodeMsgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKesError } from '../errors.js';
import { legacyKeyId } from './key-id.js';
import { decryptWithKey, encryptWithKey, generateDataKey, hmacWithKey } from './key-operations.js';
import { parseKeyType, type KeyType } from './key-type.js';
import { SecretKey } from './secret-key.js';
import { decodeStoredKey, newStoredKey, type StoredKey } from './stored-key.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const KEY = createHash('sha256').update('key operations').digest();
const CONTEXT = ascii('{"aws:s3:arn":"arn:aws:s3:::bucket/some/object/name.bin"}');
const PLAINTEXT = ascii('secret');

function notAuthentic(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    return isKesError(err, 'NOT_AUTHENTIC');
  }
}

/** Splits a raw ciphertext into the parts legacy formats carry. */
function split(c: Uint8Array): { sealed: Uint8Array; iv: Uint8Array; nonce: Uint8Array } {
  const n = c.length;
  return { sealed: c.subarray(0, n - 28), iv: c.subarray(n - 28, n - 12), nonce: c.subarray(n - 12) };
}
const asJson = (aead: string, c: Uint8Array): Uint8Array => {
  const p = split(c);
  return ascii(JSON.stringify({ aead, id: legacyKeyId(KEY), iv: b64(p.iv), nonce: b64(p.nonce), bytes: b64(p.sealed) }));
};
const asMsgpack = (algorithm: string, c: Uint8Array): Uint8Array => {
  const p = split(c);
  return encodeMsgpack([algorithm, legacyKeyId(KEY), p.iv, p.nonce, p.sealed]);
};

const types = fc.constantFrom<KeyType>('AES256', 'ChaCha20');
const contexts = fc.option(fc.uint8Array({ maxLength: 80 }), { nil: undefined });

describe('encryptWithKey / decryptWithKey', () => {
  it('round-trip for both key types with and without context', () => {
    fc.assert(
      fc.property(types, fc.uint8Array({ maxLength: 100 }), contexts, (type, p, ctx) => {
        const k = newStoredKey({ type, createdBy: '' });
        expect(hex(decryptWithKey(k, encryptWithKey(k, p, ctx), ctx))).toBe(hex(p));
      }),
    );
  });

  it('fail with NOT_AUTHENTIC only, for any input', () => {
    const k = newStoredKey({ createdBy: '' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (c) => {
        expect(notAuthentic(() => decryptWithKey(k, c, CONTEXT))).toBe(true);
      }),
    );
  });
});

describe('spec §12: legacy keys without an algorithm', () => {
  const noAlgorithm = decodeStoredKey(ascii(`{"bytes":"${b64(KEY)}"}`));
  const explicitAes = decodeStoredKey(ascii(`{"bytes":"${b64(KEY)}","algorithm":"AES256-GCM_SHA256"}`));
  const current: StoredKey = newStoredKey({ type: 'AES256', keyBytes: KEY, createdBy: '' });
  const chacha = new SecretKey('ChaCha20', KEY).encrypt(PLAINTEXT, CONTEXT);
  const aes = new SecretKey('AES256', KEY).encrypt(PLAINTEXT, CONTEXT);
  const legacyChaCha = [
    asJson('ChaCha20Poly1305', chacha),
    asMsgpack('ChaCha20', chacha),
    asMsgpack('XCHACHA20-POLY1305', chacha),
  ];

  it('open legacy ChaCha20 ciphertexts with ChaCha20', () => {
    expect(noAlgorithm.algorithmExplicit).toBe(false);
    for (const c of legacyChaCha) expect(hex(decryptWithKey(noAlgorithm, c, CONTEXT))).toBe(hex(PLAINTEXT));
  });

  it('keep AES256 for raw ciphertexts and AES256 legacy ciphertexts', () => {
    expect(notAuthentic(() => decryptWithKey(noAlgorithm, chacha, CONTEXT))).toBe(true);
    for (const c of [aes, asJson('AES-256-GCM-HMAC-SHA-256', aes), asMsgpack('AES256', aes)]) {
      expect(hex(decryptWithKey(noAlgorithm, c, CONTEXT))).toBe(hex(PLAINTEXT));
    }
  });

  it('do not apply to keys with an explicit algorithm', () => {
    for (const k of [explicitAes, current]) {
      for (const c of legacyChaCha) expect(notAuthentic(() => decryptWithKey(k, c, CONTEXT))).toBe(true);
    }
  });
});

describe('generateDataKey', () => {
  it.each(['AES256', 'ChaCha20'] as const)('returns 32 fresh bytes and their 76-byte ciphertext (%s)', (type) => {
    const k = newStoredKey({ type, createdBy: '' });
    const a = generateDataKey(k, CONTEXT);
    const b = generateDataKey(k);
    expect(a.plaintext.length).toBe(32);
    expect(a.plaintext.buffer.byteLength).toBe(32);
    expect(a.ciphertext.length).toBe(76);
    expect(hex(a.plaintext)).not.toBe(hex(b.plaintext));
    expect(hex(decryptWithKey(k, a.ciphertext, CONTEXT))).toBe(hex(a.plaintext));
    expect(hex(decryptWithKey(k, b.ciphertext, new Uint8Array(0)))).toBe(hex(b.plaintext));
    expect(notAuthentic(() => decryptWithKey(k, a.ciphertext))).toBe(true);
  });
});

describe('hmacWithKey', () => {
  it('is HMAC-SHA-256 under the HMAC key', () => {
    const k = newStoredKey({ createdBy: '' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (m) => {
        expect(hex(hmacWithKey(k, m))).toBe(createHmac('sha256', k.hmacKey!).update(m).digest('hex'));
      }),
    );
  });

  it('is not supported for legacy keys', () => {
    const legacy = decodeStoredKey(ascii(`{"bytes":"${b64(KEY)}"}`));
    const error = expect.objectContaining({ code: 'HMAC_NOT_SUPPORTED', status: 501 });
    expect(() => hmacWithKey(legacy, PLAINTEXT)).toThrow(error);
  });
});

describe('key names and ids', () => {
  it('parseKeyType accepts exactly the four names', () => {
    const names = ['AES256', 'AES256-GCM_SHA256', 'ChaCha20', 'XCHACHA20-POLY1305'];
    expect(names.map(parseKeyType)).toEqual(['AES256', 'AES256', 'ChaCha20', 'ChaCha20']);
    const bad = ['', 'aes256', 'AES256-GCM-SHA256', 'CHACHA20', 'AES-256-GCM-HMAC-SHA-256', 'ChaCha20Poly1305', ' AES256'];
    for (const name of bad) {
      expect(parseKeyType(name)).toBeUndefined();
    }
  });

  it('legacyKeyId is the hex of the first 16 bytes of SHA-256(key)', () => {
    expect(legacyKeyId(new Uint8Array(32))).toBe('66687aadf862bd776c8fc18b8e9f8e20'); // spec §5.6
    expect(legacyKeyId(KEY)).toBe(createHash('sha256').update(KEY).digest('hex').slice(0, 32));
  });
});
