import { createHash, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKesError } from '../errors.js';
import { ApiKey } from './api-key.js';

/** Ed25519 secret and public key of RFC 8032 §7.1 test 1 (independent of KES's own vectors). */
const SEED_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const PUBLIC_HEX = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

function keyText(typeByte: number, seed: Buffer): string {
  return `kes:v1:${Buffer.concat([Buffer.of(typeByte), seed]).toString('base64')}`;
}

function expectApiKeyError(text: string, detail: string): void {
  let thrown: unknown;
  try {
    ApiKey.parse(text);
  } catch (err) {
    thrown = err;
  }
  expect(isKesError(thrown, 'INVALID_API_KEY')).toBe(true);
  expect((thrown as Error).message).toBe(`kes: invalid API key: ${detail}`);
}

describe('ApiKey.parse', () => {
  it('derives the Ed25519 public key and the identity from the seed (RFC 8032 test vector 1)', () => {
    const key = ApiKey.parse(keyText(0, Buffer.from(SEED_HEX, 'hex')));
    expect(Buffer.from(key.publicKey).toString('hex')).toBe(PUBLIC_HEX);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(PUBLIC_HEX, 'hex')]);
    expect(key.identity).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(key.identity).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the text without the kes:v1: prefix and formats it with the prefix', () => {
    const text = keyText(0, Buffer.from(SEED_HEX, 'hex'));
    const bare = ApiKey.parse(text.slice('kes:v1:'.length));
    expect(bare.toString()).toBe(text);
    expect(bare.identity).toBe(ApiKey.parse(text).identity);
  });

  it('rejects a wrong length', () => {
    expectApiKeyError(keyText(0, randomBytes(31)), 'invalid length');
    expectApiKeyError(keyText(0, randomBytes(33)), 'invalid length');
    expectApiKeyError('kes:v1:', 'invalid length');
    expectApiKeyError('', 'invalid length');
  });

  it('rejects a type byte other than 0', () => {
    expectApiKeyError(keyText(1, randomBytes(32)), 'unsupported type');
    expectApiKeyError(keyText(0xff, randomBytes(32)), 'unsupported type');
  });

  it('rejects malformed base64 and unknown prefixes', () => {
    const good = keyText(0, Buffer.from(SEED_HEX, 'hex')).slice('kes:v1:'.length);
    for (const text of [
      `v1:${good}`,
      `kes:${good}`,
      `kes:v2:${good}`,
      `KES:V1:${good}`,
      `kes:v1:${good.slice(0, 42)}-_`, // URL-safe alphabet
      `kes:v1:${good.slice(0, 43)}`,
      `kes:v1: ${good}`,
      `kes:v1:${good}\n`,
      `kes:v1:${good.slice(0, 40)}====`,
    ]) {
      expectApiKeyError(text, 'invalid encoding');
    }
  });

  it('never throws anything but INVALID_API_KEY for arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `kes:v1:${s}`), fc.base64String().map((s) => `kes:v1:${s}`)), (text) => {
        try {
          ApiKey.parse(text);
        } catch (err) {
          return isKesError(err, 'INVALID_API_KEY');
        }
        return true;
      }),
    );
  });
});

describe('ApiKey round trip and keys', () => {
  it('parse(format(seed)) re-serializes to the identical string and keeps the identity', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const text = keyText(0, Buffer.from(seed));
        const key = ApiKey.parse(text);
        const again = ApiKey.parse(key.toString());
        return key.toString() === text && again.identity === key.identity;
      }),
      { numRuns: 200 },
    );
  });

  it('generate() yields distinct, parseable keys whose private key signs for the public key', () => {
    const a = ApiKey.generate();
    const b = ApiKey.generate();
    expect(a.identity).not.toBe(b.identity);
    expect(a.toString()).toMatch(/^kes:v1:A[A-Za-z0-9+/]{43}$/);
    expect(ApiKey.parse(a.toString()).identity).toBe(a.identity);
    const message = Buffer.from('hello');
    const signature = sign(null, message, a.privateKey());
    const spki = createPublicKey(a.privateKey()).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(spki.subarray(12)).equals(Buffer.from(a.publicKey))).toBe(true);
    expect(verify(null, message, createPublicKey(a.privateKey()), signature)).toBe(true);
    expect(a.privateKey().asymmetricKeyType).toBe('ed25519');
  });

  it('does not show the seed when inspected or logged', () => {
    const key = ApiKey.generate();
    const shown = inspect(key);
    expect(shown).toContain(key.identity);
    expect(shown).not.toContain(key.toString().slice('kes:v1:'.length));
    expect(JSON.stringify(key)).not.toContain(key.toString().slice('kes:v1:'.length));
  });
});
