import { createPrivateKey, generateKeyPairSync, X509Certificate, createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEncryptedPrivateKeyPem, loadCredentials } from './credentials.js';
import { isKesClientError, type KesClientErrorCode } from './errors.js';
import { makePki, type Pki } from './fixtures.spec.js';

let pki: Pki;
beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki.cleanup());

async function failure(p: Promise<unknown>): Promise<{ code: KesClientErrorCode; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isKesClientError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}

function spkiIdentity(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

describe('loadCredentials', () => {
  it('loads a certificate and key from files and computes the identity', async () => {
    const c = await loadCredentials({ certFile: pki.clientCertFile, keyFile: pki.clientKeyFile });
    expect(c.identity).toBe(spkiIdentity(pki.clientCertPem));
    expect(c.keyPem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(c.ca).toBeUndefined();
  });

  it('derives the Ed25519 certificate of an API key (identity = the key identity)', async () => {
    const key = ApiKey.generate();
    const c = await loadCredentials({ apiKey: key.toString() });
    expect(c.identity).toBe(key.identity);
    expect(spkiIdentity(c.certPem)).toBe(key.identity);
    expect(new X509Certificate(c.certPem).publicKey.asymmetricKeyType).toBe('ed25519');
  });

  it('rejects a malformed API key', async () => {
    expect(await failure(loadCredentials({ apiKey: 'kes:v1:nope' }))).toMatchObject({ code: 'CREDENTIALS' });
  });

  it('decrypts encrypted PKCS#8 and legacy RFC 1423 keys with the password', async () => {
    const key = createPrivateKey(pki.clientKeyPem);
    const pkcs8 = key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    const legacy = key.export({ format: 'pem', type: 'sec1', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    expect(isEncryptedPrivateKeyPem(pkcs8)).toBe(true);
    expect(legacy).toMatch(/Proc-Type: 4,ENCRYPTED/);
    expect(isEncryptedPrivateKeyPem(legacy)).toBe(true);
    expect(isEncryptedPrivateKeyPem(pki.clientKeyPem)).toBe(false);
    for (const pem of [pkcs8, legacy]) {
      const c = await loadCredentials({ cert: pki.clientCertPem, key: pem, password: 'secret' });
      expect(c.identity).toBe(spkiIdentity(pki.clientCertPem));
      expect(await failure(loadCredentials({ cert: pki.clientCertPem, key: pem }))).toMatchObject({ code: 'PASSWORD_REQUIRED' });
      expect(await failure(loadCredentials({ cert: pki.clientCertPem, key: pem, password: 'wrong' }))).toMatchObject({
        code: 'WRONG_PASSWORD',
      });
    }
  });

  it('names the unreadable file', async () => {
    const f = await failure(loadCredentials({ certFile: join(pki.dir, 'missing.crt'), keyFile: pki.clientKeyFile }));
    expect(f.code).toBe('CREDENTIALS');
    expect(f.message).toContain('missing.crt');
  });

  it('rejects a key that does not belong to the certificate, and non-PEM input', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(await failure(loadCredentials({ cert: pki.clientCertPem, key: other }))).toMatchObject({ code: 'CREDENTIALS' });
    expect(await failure(loadCredentials({ cert: 'junk', key: pki.clientKeyPem }))).toMatchObject({ code: 'CREDENTIALS' });
    expect(await failure(loadCredentials({ cert: pki.clientCertPem, key: 'junk' }))).toMatchObject({ code: 'CREDENTIALS' });
  });

  it('requires exactly one kind of credentials', async () => {
    expect(await failure(loadCredentials({}))).toMatchObject({ code: 'CONFIG' });
    expect(await failure(loadCredentials({ certFile: pki.clientCertFile }))).toMatchObject({ code: 'CONFIG' });
    expect(await failure(loadCredentials({ keyFile: pki.clientKeyFile }))).toMatchObject({ code: 'CONFIG' });
    const key = ApiKey.generate().toString();
    expect(await failure(loadCredentials({ apiKey: key, certFile: pki.clientCertFile }))).toMatchObject({ code: 'CONFIG' });
  });

  it('loads CA certificates from files, directories and contents', async () => {
    const key = ApiKey.generate().toString();
    expect((await loadCredentials({ apiKey: key, caFile: pki.caFile })).ca).toHaveLength(1);
    const dir = join(pki.dir, 'cas');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.pem'), pki.caPem);
    writeFileSync(join(dir, 'b.pem'), pki.serverCertPem + pki.caPem);
    writeFileSync(join(dir, 'readme.txt'), 'not a certificate');
    expect((await loadCredentials({ apiKey: key, caFile: dir })).ca).toHaveLength(3);
    expect((await loadCredentials({ apiKey: key, ca: [pki.caPem, Buffer.from(pki.caPem)] })).ca).toHaveLength(2);
    expect(await failure(loadCredentials({ apiKey: key, caFile: pki.clientKeyFile }))).toMatchObject({ code: 'CREDENTIALS' });
    expect(await failure(loadCredentials({ apiKey: key, caFile: join(pki.dir, 'nope') }))).toMatchObject({ code: 'CREDENTIALS' });
  });
});
