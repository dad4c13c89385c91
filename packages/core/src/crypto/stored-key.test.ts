import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKesError } from '../errors.js';
import type { KeyType } from './key-type.js';
import { SecretKey } from './secret-key.js';
import { MAX_STORED_KEY_SIZE, decodeStoredKey, encodeStoredKey, newStoredKey, type StoredKey } from './stored-key.js';
import { UNIX_EPOCH_TIMESTAMP, ZERO_TIMESTAMP, formatTimestamp } from './timestamp.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const ONES = new Uint8Array(32).fill(1);
const TWOS = new Uint8Array(32).fill(2);

// Hand-assembled protobuf (computed independently with a few lines of Python): key 32×01 ChaCha20, HMAC key 32×02
// SHA256, created 2023-11-14T22:13:20.000000005Z, created_by "identité".
const FIXED =
  'CiQKIAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBEAISJAogAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIQARoICIDiz6oGEAUiCWlkZW50aXTDqQ==';
// Same keys, created at Go's zero time (negative seconds, 10-byte varint), no created_by.
const FIXED_ZERO_TIME =
  'CiQKIAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBEAISJAogAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIQARoLCICSuMOY/v///wE=';

/** Minimal independent protobuf writer for crafting malformed inputs. */
const varint = (n: bigint): number[] => {
  let v = n < 0n ? n + (1n << 64n) : n;
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
};
const ld = (field: number, payload: Uint8Array | number[]): number[] => [
  ...varint(BigInt((field << 3) | 2)),
  ...varint(BigInt(payload.length)),
  ...payload,
];
const vi = (field: number, value: number | bigint): number[] => [...varint(BigInt(field << 3)), ...varint(BigInt(value))];
const pair = (key: Uint8Array, num: number): number[] => [...ld(1, key), ...vi(2, num)];
const stored = (...fields: number[][]): Uint8Array => ascii(b64(Uint8Array.from(fields.flat())));
const VALID_FIELDS = [ld(1, pair(ONES, 1)), ld(2, pair(TWOS, 1))];

function invalid(bytes: Uint8Array): boolean {
  try {
    decodeStoredKey(bytes);
    return false;
  } catch (err) {
    if (isKesError(err, 'INVALID_STORED_KEY')) return true;
    throw err;
  }
}

describe('newStoredKey', () => {
  it('creates a current-format key with a fresh HMAC key', () => {
    const a = newStoredKey({ createdBy: 'me' });
    const b = newStoredKey({ createdBy: 'me', type: 'ChaCha20', keyBytes: ONES, createdAt: ZERO_TIMESTAMP });
    expect(a).toMatchObject({ algorithmExplicit: true, format: 'protobuf', createdBy: 'me' });
    expect(a.key.type).toBe('AES256');
    expect(a.hmacKey?.length).toBe(32);
    expect(b64(a.hmacKey!)).not.toBe(b64(newStoredKey({ createdBy: '' }).hmacKey!));
    expect(Math.abs(Number(a.createdAt.seconds) - Date.now() / 1000)).toBeLessThan(5);
    expect(b.key.type).toBe('ChaCha20');
    expect(b.key.bytes).toEqual(ONES);
    expect(b.createdAt).toBe(ZERO_TIMESTAMP);
    const error = expect.objectContaining({ code: 'INVALID_KEY_SIZE' });
    expect(() => newStoredKey({ createdBy: '', keyBytes: new Uint8Array(16) })).toThrow(error);
  });
});

describe('encodeStoredKey / decodeStoredKey (protobuf)', () => {
  const fixed: StoredKey = {
    key: new SecretKey('ChaCha20', ONES),
    algorithmExplicit: true,
    hmacKey: TWOS,
    createdAt: { seconds: 1700000000n, nanos: 5 },
    createdBy: 'identité',
    format: 'protobuf',
  };

  it('matches independently assembled bytes', () => {
    expect(text(encodeStoredKey(fixed))).toBe(FIXED);
    expect(text(encodeStoredKey({ ...fixed, createdAt: ZERO_TIMESTAMP, createdBy: '' }))).toBe(FIXED_ZERO_TIME);
    const back = decodeStoredKey(ascii(FIXED));
    expect(back).toMatchObject({ algorithmExplicit: true, format: 'protobuf', createdBy: 'identité' });
    expect(back.createdAt).toEqual(fixed.createdAt);
    expect(back.key.type).toBe('ChaCha20');
    expect(formatTimestamp(decodeStoredKey(ascii(FIXED_ZERO_TIME)).createdAt)).toBe('0001-01-01T00:00:00Z');
    expect(Object.isFrozen(back)).toBe(true);
  });

  it('round-trips any key', () => {
    const key = fc.record({
      type: fc.constantFrom<KeyType>('AES256', 'ChaCha20'),
      bytes: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      hmac: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      seconds: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
      nanos: fc.integer({ min: 0, max: 999_999_999 }),
      createdBy: fc.string({ unit: 'grapheme', maxLength: 70 }),
    });
    fc.assert(
      fc.property(key, (k) => {
        const original: StoredKey = {
          key: new SecretKey(k.type, k.bytes),
          algorithmExplicit: true,
          hmacKey: k.hmac,
          createdAt: { seconds: k.seconds, nanos: k.nanos },
          createdBy: k.createdBy,
          format: 'protobuf',
        };
        const encoded = encodeStoredKey(original);
        expect(/^[A-Za-z0-9+/]*={0,2}$/.test(text(encoded)) && encoded.length % 4 === 0).toBe(true);
        const back = decodeStoredKey(encoded);
        expect(back.key.type).toBe(k.type);
        expect(back.key.bytes).toEqual(k.bytes);
        expect(back.hmacKey).toEqual(k.hmac);
        expect(back.createdAt).toEqual(original.createdAt);
        expect(back.createdBy).toBe(k.createdBy);
        expect(text(encodeStoredKey(back))).toBe(text(encoded));
      }),
    );
  });

  it('copies key material out of the input', () => {
    const input = ascii(FIXED);
    const k = decodeStoredKey(input);
    input.fill(0x41);
    expect(k.key.bytes).toEqual(ONES);
    expect(k.hmacKey).toEqual(TWOS);
  });

  it('follows proto3 decoding rules', () => {
    // absent CreatedAt → Unix epoch (Go's AsTime of a nil Timestamp)
    expect(decodeStoredKey(stored(...VALID_FIELDS)).createdAt).toEqual(UNIX_EPOCH_TIMESTAMP);
    expect(decodeStoredKey(stored(...VALID_FIELDS, vi(9, 7), ld(10, [1, 2]))).key.bytes).toEqual(ONES); // unknown fields
    expect(decodeStoredKey(stored(...VALID_FIELDS, vi(4, 5))).createdBy).toBe(''); // wrong wire type → unknown
    const split = stored(ld(1, ld(1, ONES)), ld(1, vi(2, 2)), VALID_FIELDS[1]!); // repeated message fields merge
    expect(decodeStoredKey(split).key.type).toBe('ChaCha20');
    const overflow = stored(...VALID_FIELDS, ld(3, vi(2, 1_500_000_000))); // nanos ≥ 1e9 normalized like time.Unix
    expect(decodeStoredKey(overflow).createdAt).toEqual({ seconds: 1n, nanos: 500_000_000 });
    expect(decodeStoredKey(ascii(`${FIXED}\n`)).createdBy).toBe('identité'); // Go's base64 decoder skips CR/LF
    expect(decodeStoredKey(ascii(`${FIXED.slice(0, 40)}\r\n${FIXED.slice(40)}`)).createdBy).toBe('identité');
  });

  it('rejects malformed values', () => {
    const cases: Uint8Array[] = [
      stored(ld(1, pair(ONES.subarray(1), 1)), VALID_FIELDS[1]!),
      stored(ld(1, pair(ONES, 0)), VALID_FIELDS[1]!),
      stored(ld(1, pair(ONES, 3)), VALID_FIELDS[1]!),
      stored(VALID_FIELDS[0]!),
      stored(VALID_FIELDS[0]!, ld(2, pair(new Uint8Array(33), 1))),
      stored(VALID_FIELDS[0]!, ld(2, pair(TWOS, 2))),
      stored(VALID_FIELDS[1]!),
      stored(...VALID_FIELDS, ld(4, [0xc3, 0x28])),
      stored(...VALID_FIELDS, [0x22, 5, 0x61]),
      stored(...VALID_FIELDS, [0x0c]),
      stored(...VALID_FIELDS, [0x08, 0xff]),
      stored([0]),
      ascii(FIXED.replace(/=+$/, '')),
      ascii(FIXED_ZERO_TIME.replace(/\//g, '_')),
      ascii(` ${FIXED}`),
      ascii(''),
      new Uint8Array(MAX_STORED_KEY_SIZE + 1).fill(0x41),
    ];
    cases.forEach((bytes, i) => expect(invalid(bytes), `case ${i}`).toBe(true));
  });

  it('refuses to encode a key without an HMAC key', () => {
    const legacy = decodeStoredKey(ascii(`{"bytes":"${b64(ONES)}"}`));
    expect(() => encodeStoredKey(legacy)).toThrow(expect.objectContaining({ code: 'INVALID_STORED_KEY' }));
  });
});

describe('decodeStoredKey (legacy JSON)', () => {
  const legacy = (fields: Record<string, unknown>): StoredKey => decodeStoredKey(ascii(JSON.stringify(fields)));

  it('reads every writer generation', () => {
    const plain = legacy({ bytes: b64(ONES) });
    expect(plain).toMatchObject({ algorithmExplicit: false, hmacKey: undefined, createdBy: '', format: 'legacy-json' });
    expect(plain.createdAt).toBe(ZERO_TIMESTAMP);
    expect(plain.key.type).toBe('AES256');
    const full = legacy({
      bytes: b64(TWOS),
      algorithm: 'XCHACHA20-POLY1305',
      created_at: '2022-08-01T12:00:00.123456789+02:00',
      created_by: 'abc',
      version: 'v1',
    });
    expect(full).toMatchObject({ algorithmExplicit: true, createdBy: 'abc' });
    expect(full.createdAt).toEqual({ seconds: 1659348000n, nanos: 123456789 });
    expect(full.key.type).toBe('ChaCha20');
    const names = [['AES256', 'AES256'], ['AES256-GCM_SHA256', 'AES256'], ['ChaCha20', 'ChaCha20']] as const;
    for (const [algorithm, type] of names) {
      expect(legacy({ bytes: b64(ONES), algorithm }).key.type).toBe(type);
    }
    for (const algorithm of ['', null]) expect(legacy({ bytes: b64(ONES), algorithm }).algorithmExplicit).toBe(false);
    const shouting = legacy({ Bytes: b64(ONES), ALGORITHM: 'ChaCha20', Created_By: 'x', unknown: {} });
    expect(shouting).toMatchObject({ createdBy: 'x', algorithmExplicit: true });
    expect(legacy({ bytes: b64(ONES), created_at: null }).createdAt).toBe(ZERO_TIMESTAMP);
    expect(decodeStoredKey(ascii(` \n{"bytes":"${b64(ONES)}"}\t`)).format).toBe('legacy-json');
  });

  it('rejects invalid legacy values', () => {
    const cases = [
      { bytes: b64(ONES.subarray(1)) },
      { bytes: b64(ONES).replace(/=+$/, '') },
      { bytes: null },
      {},
      { bytes: b64(ONES), algorithm: 'AES-256-GCM' },
      { bytes: b64(ONES), algorithm: 'aes256' },
      { bytes: b64(ONES), algorithm: 1 },
      { bytes: b64(ONES), created_at: '2022-08-01' },
      { bytes: b64(ONES), created_at: 12 },
      { bytes: b64(ONES), created_by: 7 },
    ];
    for (const c of cases) expect(invalid(ascii(JSON.stringify(c))), JSON.stringify(c)).toBe(true);
    for (const t of ['null', '"x"', '12', '[]', 'true', `{"bytes":"${b64(ONES)}"`, `\ufeff{"bytes":"${b64(ONES)}"}`]) {
      expect(invalid(ascii(t)), t).toBe(true);
    }
    const padded = ascii(`{"bytes":"${b64(ONES)}"}`.padEnd(MAX_STORED_KEY_SIZE + 1, ' '));
    expect(invalid(padded)).toBe(true);
  });
});

describe('decodeStoredKey on arbitrary input', () => {
  it('throws only INVALID_STORED_KEY', () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 150 }).map((b) => ascii(b64(b))),
      fc.string({ maxLength: 100 }).map((s) => ascii(`{"bytes":${JSON.stringify(s)}}`)),
      fc.json().map(ascii),
    );
    fc.assert(
      fc.property(inputs, (bytes) => {
        try {
          const k = decodeStoredKey(bytes);
          expect(k.key.bytes.length).toBe(32);
        } catch (err) {
          expect(isKesError(err, 'INVALID_STORED_KEY')).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never accepts a mutated protobuf value with invalid fields', () => {
    const proto = Buffer.from(FIXED, 'base64');
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const mutated = Uint8Array.from(proto);
        const i = at % mutated.length;
        mutated[i] = (mutated[i]! + delta) & 0xff;
        try {
          const k = decodeStoredKey(ascii(b64(mutated)));
          expect(k.key.bytes.length).toBe(32);
          expect(k.hmacKey?.length).toBe(32);
        } catch (err) {
          expect(isKesError(err, 'INVALID_STORED_KEY')).toBe(true);
        }
      }),
    );
  });
});
