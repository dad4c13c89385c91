import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKesError } from '../errors.js';
import { ApiKey } from './api-key.js';
import { apiKeyFromPrivateKey } from './api-key-from-private-key.js';

/** RFC 8032 §7.1 test 1: seed and the identity (SHA-256 of the DER SPKI) of its public key. */
const SEED_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const PKCS8_PREFIX = '302e020100300506032b657004220420';

function pemOf(der: Buffer): string {
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('apiKeyFromPrivateKey', () => {
  it('turns a PKCS#8 Ed25519 PEM into the API key with the same seed', () => {
    const der = Buffer.from(PKCS8_PREFIX + SEED_HEX, 'hex');
    const key = apiKeyFromPrivateKey(pemOf(der));
    expect(key.toString()).toBe(`kes:v1:${Buffer.concat([Buffer.of(0), Buffer.from(SEED_HEX, 'hex')]).toString('base64')}`);
    expect(apiKeyFromPrivateKey(der).toString()).toBe(key.toString());
  });

  it('keeps the identity: API key identity = identity of the public key (any generated key)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const der = Buffer.concat([Buffer.from(PKCS8_PREFIX, 'hex'), seed]);
        const key = apiKeyFromPrivateKey(der);
        expect(ApiKey.parse(key.toString()).identity).toBe(key.identity);
        const spki = createPublicKey(key.privateKey()).export({ format: 'der', type: 'spki' });
        expect(Buffer.from(key.publicKey)).toEqual(spki.subarray(12));
      }),
      { numRuns: 50 },
    );
  });

  it('accepts a KeyObject and encrypted PKCS#8 with the right password', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const expected = apiKeyFromPrivateKey(privateKey).toString();
    const encrypted = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expect(apiKeyFromPrivateKey(encrypted, 'pw').toString()).toBe(expected);
    expect(isKesError(thrownBy(() => apiKeyFromPrivateKey(encrypted, 'wrong')), 'INVALID_API_KEY')).toBe(true);
  });

  it('rejects other key types with "unsupported type" and garbage with "invalid encoding"', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ec = thrownBy(() => apiKeyFromPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()));
    expect((ec as Error).message).toBe('kes: invalid API key: unsupported type');
    for (const bad of ['', 'not a key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', new Uint8Array(3)]) {
      const err = thrownBy(() => apiKeyFromPrivateKey(bad));
      expect(isKesError(err, 'INVALID_API_KEY')).toBe(true);
      expect((err as Error).message).toBe('kes: invalid API key: invalid encoding');
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const err = thrownBy(() => apiKeyFromPrivateKey(bytes));
        if (err !== undefined) expect(isKesError(err, 'INVALID_API_KEY')).toBe(true);
      }),
    );
  });
});
