import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { encode as encodeMsgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKesError } from '../errors.js';
import { parseCiphertext } from './ciphertext-formats.js';
import type { KeyType } from './key-type.js';
import { SecretKey } from './secret-key.js';

const KEY = createHash('sha256').update('legacy formats').digest();
const PLAINTEXT = new TextEncoder().encode('legacy plaintext');
const CONTEXT = new TextEncoder().encode('ctx');
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Independent AES256 sealing with chosen IV and nonce (HMAC-SHA-256 KDF + AES-256-GCM, spec §5.2). */
function sealAes(iv: Uint8Array, nonce: Uint8Array, plaintext = PLAINTEXT, ad = CONTEXT): Buffer {
  const c = createCipheriv('aes-256-gcm', createHmac('sha256', KEY).update(iv).digest(), nonce).setAAD(ad);
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
}

/** The parts of a real ciphertext made by SecretKey (for ChaCha20 too). */
function parts(type: KeyType): { sealed: Uint8Array; iv: Uint8Array; nonce: Uint8Array } {
  const c = new SecretKey(type, KEY).encrypt(PLAINTEXT, CONTEXT);
  const n = c.length;
  return { sealed: c.subarray(0, n - 28), iv: c.subarray(n - 28, n - 12), nonce: c.subarray(n - 12) };
}

function open(type: KeyType, ciphertext: Uint8Array): string | 'NOT_AUTHENTIC' {
  try {
    return hex(new SecretKey(type, KEY).decrypt(ciphertext, CONTEXT));
  } catch (err) {
    if (isKesError(err, 'NOT_AUTHENTIC')) return 'NOT_AUTHENTIC';
    throw err;
  }
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const json = (value: unknown): Uint8Array => ascii(JSON.stringify(value));
const JSON_AEAD: Record<KeyType, string> = { AES256: 'AES-256-GCM-HMAC-SHA-256', ChaCha20: 'ChaCha20Poly1305' };

describe('legacy JSON ciphertexts', () => {
  it.each(['AES256', 'ChaCha20'] as const)('decrypt for %s, with and without id, keys in any case', (type) => {
    const p = parts(type);
    const base = { aead: JSON_AEAD[type], iv: b64(p.iv), nonce: b64(p.nonce), bytes: b64(p.sealed) };
    expect(open(type, json(base))).toBe(hex(PLAINTEXT));
    expect(open(type, json({ ...base, id: '0123456789abcdef0123456789abcdef' }))).toBe(hex(PLAINTEXT));
    const shouting = { AEAD: base.aead, Iv: base.iv, NONCE: base.nonce, Bytes: base.bytes, extra: [1] };
    expect(open(type, json(shouting))).toBe(hex(PLAINTEXT));
    expect(parseCiphertext(json(base))).toMatchObject({ format: 'json', legacyAlgorithm: type });
  });

  it('are rejected when malformed, and then tried as raw', () => {
    const p = parts('AES256');
    const base = { aead: JSON_AEAD.AES256, iv: b64(p.iv), nonce: b64(p.nonce), bytes: b64(p.sealed) };
    const bad: unknown[] = [
      { ...base, aead: 'AES-256-GCM' },
      { ...base, aead: 'AES256' },
      { ...base, aead: null },
      { ...base, iv: b64(p.iv.subarray(1)) },
      { ...base, iv: b64(Buffer.concat([p.iv, Buffer.of(0)])) },
      { ...base, nonce: b64(p.nonce.subarray(4)) },
      { ...base, nonce: b64(p.nonce).replace(/=+$/, '') + 'x' },
      { ...base, bytes: b64(p.sealed).replace(/=+$/, '') },
      { ...base, bytes: b64(p.sealed).replace(/\//g, '_').replace(/\+/g, '-') + ' ' },
      { ...base, id: 5 },
      { ...base, iv: [1, 2, 3] },
    ];
    for (const value of bad) {
      const bytes = json(value);
      expect(parseCiphertext(bytes)?.format ?? 'none', JSON.stringify(value)).not.toBe('json');
      expect(open('AES256', bytes)).toBe('NOT_AUTHENTIC');
    }
    const text = JSON.stringify(base);
    for (const broken of [text.replace(',', ' '), text.slice(0, -1), `${text}x`, `\ufeff${text}`]) {
      expect(open('AES256', new TextEncoder().encode(broken))).toBe('NOT_AUTHENTIC');
    }
  });
});

describe('nesting in legacy formats', () => {
  it('JSON: unknown fields may nest up to 10 000 levels, like Go', () => {
    const p = parts('AES256');
    const fields = `"aead":"${JSON_AEAD.AES256}","iv":"${b64(p.iv)}","nonce":"${b64(p.nonce)}","bytes":"${b64(p.sealed)}"`;
    const nested = (depth: number) => ascii(`{"x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)},${fields}}`);
    expect(open('AES256', nested(10_000))).toBe(hex(PLAINTEXT));
    expect(open('AES256', nested(10_001))).toBe('NOT_AUTHENTIC');
    expect(parseCiphertext(nested(10_001))?.format).toBe('raw');
  });

  it('msgpack: nested containers are rejected without being walked', () => {
    const deep = new Uint8Array(300_000).fill(0x91);
    deep[0] = 0x95;
    expect(parseCiphertext(deep)?.format).toBe('raw');
  });
});

describe('legacy msgpack ciphertexts', () => {
  it.each([
    ['AES256', 'AES256'],
    ['AES256', 'AES256-GCM_SHA256'],
    ['ChaCha20', 'ChaCha20'],
    ['ChaCha20', 'XCHACHA20-POLY1305'],
  ] as const)('decrypt for a %s key named %s', (type, name) => {
    const p = parts(type);
    const bytes = encodeMsgpack([name, 'b5d2a1c4e1f38e0b8d4c2a6e9f1d3b57', p.iv, p.nonce, p.sealed]);
    expect(bytes[0]).toBe(0x95);
    expect(open(type, bytes)).toBe(hex(PLAINTEXT));
    expect(parseCiphertext(bytes)).toMatchObject({ format: 'msgpack', legacyAlgorithm: type });
  });

  it('accept bin16/bin32 and str16 encodings', () => {
    const p = parts('AES256');
    const str16 = (s: string) => Buffer.concat([Buffer.of(0xda, 0, s.length), Buffer.from(s)]);
    const bin32 = (b: Uint8Array) => Buffer.concat([Buffer.of(0xc6, 0, 0, 0, b.length), b]);
    const bin16 = (b: Uint8Array) => Buffer.concat([Buffer.of(0xc5, 0, b.length), b]);
    const head = [Buffer.of(0x95), str16('AES256'), str16('')];
    const bytes = Buffer.concat([...head, bin16(p.iv), bin32(p.nonce), bin16(p.sealed)]);
    expect(open('AES256', bytes)).toBe(hex(PLAINTEXT));
  });

  it('are rejected when not the strict 5-array', () => {
    const p = parts('AES256');
    const id = 'b5d2a1c4e1f38e0b8d4c2a6e9f1d3b57';
    const bad: unknown[][] = [
      ['AES-256-GCM-HMAC-SHA-256', id, p.iv, p.nonce, p.sealed],
      ['aes256', id, p.iv, p.nonce, p.sealed],
      ['AES256', null, p.iv, p.nonce, p.sealed],
      ['AES256', 42, p.iv, p.nonce, p.sealed],
      ['AES256', id, Buffer.from(p.iv).toString('latin1'), p.nonce, p.sealed],
      ['AES256', id, p.iv, p.nonce, b64(p.sealed)],
      ['AES256', id, p.iv.subarray(1), p.nonce, p.sealed],
      ['AES256', id, p.iv, Buffer.concat([p.nonce, Buffer.of(1)]), p.sealed],
      [Buffer.from('AES256'), id, p.iv, p.nonce, p.sealed],
      ['AES256', id, p.iv, p.nonce],
      ['AES256', id, p.iv, p.nonce, p.sealed, 0],
    ];
    for (const value of bad) {
      const bytes = encodeMsgpack(value);
      expect(parseCiphertext(bytes)?.format ?? 'none').not.toBe('msgpack');
      expect(open('AES256', bytes)).toBe('NOT_AUTHENTIC');
    }
    const good = encodeMsgpack(['AES256', id, p.iv, p.nonce, p.sealed]);
    expect(open('AES256', Buffer.concat([good, Buffer.of(0xc0)]))).toBe('NOT_AUTHENTIC');
    expect(open('AES256', good.subarray(0, good.length - 1))).toBe('NOT_AUTHENTIC');
  });
});

describe('raw ciphertexts that look like legacy ones', () => {
  it.each([
    ['0x95', 0x95],
    ['0x7b', 0x7b],
  ])('decrypt when the first byte is %s', (_, first) => {
    const nonce = Buffer.alloc(12, 0x11);
    for (let i = 0; i < 100_000; i++) {
      const iv = Buffer.alloc(16);
      iv.writeUInt32BE(i, 12);
      const sealed = sealAes(iv, nonce);
      if (sealed[0] !== first) continue;
      const raw = Buffer.concat([sealed, iv, nonce]);
      expect(parseCiphertext(raw)?.format).toBe('raw');
      expect(open('AES256', raw)).toBe(hex(PLAINTEXT));
      return;
    }
    throw new Error('no candidate found');
  });
});

describe('parseCiphertext', () => {
  it('never throws and returns only well-formed parts', () => {
    const prefixed = fc.tuple(fc.constantFrom(0x95, 0x7b, 0x00), fc.uint8Array({ maxLength: 120 }));
    fc.assert(
      fc.property(prefixed, ([first, rest]) => {
        const parsed = parseCiphertext(Uint8Array.of(first, ...rest));
        if (parsed !== undefined) {
          expect(parsed.iv.length).toBe(16);
          expect(parsed.nonce.length).toBe(12);
        }
      }),
    );
  });

  it('needs more than 28 bytes for the raw form', () => {
    expect(parseCiphertext(new Uint8Array(28))).toBeUndefined();
    expect(parseCiphertext(new Uint8Array(29))?.sealed.length).toBe(1);
  });
});
