import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encryptPemBlock } from './encrypt-pem.js';

describe('encryptPemBlock (Go x509.EncryptPEMBlock, AES-256-CBC)', () => {
  const der = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });

  it('OpenSSL (node:crypto) decrypts it with the password, and only with it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (password) => {
        const pem = encryptPemBlock(der, password);
        expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,[0-9A-F]{32}\n\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
        const key = createPrivateKey({ key: pem, format: 'pem', passphrase: password });
        expect(key.export({ format: 'der', type: 'pkcs8' })).toEqual(der);
        expect(() => createPrivateKey({ key: pem, format: 'pem', passphrase: `${password}x` })).toThrow();
      }),
      { numRuns: 25 },
    );
  });

  it('uses a fresh IV each time', () => {
    expect(encryptPemBlock(der, 'pw')).not.toBe(encryptPemBlock(der, 'pw'));
  });
});
