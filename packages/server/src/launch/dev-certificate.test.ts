import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCaCertificate } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCertificate } from './dev-certificate.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-devcert-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('ensureDevCertificate', () => {
  it('generates a P-256 server certificate for the names, valid about 90 days, key mode 0600', async () => {
    const c = await ensureDevCertificate(dir, ['localhost'], ['127.0.0.1', '::1']);
    expect(c.reused).toBe(false);
    const cert = new X509Certificate(c.cert);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkPrivateKey(createPrivateKey(c.key))).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
    expect(isCaCertificate(new Uint8Array(cert.raw))).toBe(false);
    expect((await stat(c.keyFile)).mode & 0o777).toBe(0o600);
  });

  it('reuses a valid certificate that covers the names, and replaces one that does not', async () => {
    const first = await ensureDevCertificate(dir, ['localhost'], ['127.0.0.1']);
    expect(first.reused).toBe(true);
    const wider = await ensureDevCertificate(dir, ['localhost'], ['127.0.0.1', '10.1.2.3']);
    expect(wider.reused).toBe(false);
    expect(new X509Certificate(wider.cert).subjectAltName).toContain('IP Address:10.1.2.3');
  });

  it('replaces a broken or mismatched pair', async () => {
    await writeFile(join(dir, 'server.key'), 'garbage');
    expect((await ensureDevCertificate(dir, ['localhost'], ['127.0.0.1'])).reused).toBe(false);
  });
});
