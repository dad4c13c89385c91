import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiKey } from './api-key.js';
import { createCertificateForApiKey } from './api-key-certificate.js';
import { identifyPeer, identityOfCertificate, isCaCertificate } from './certificate-identity.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function openssl(args: string[], input: string | Buffer): string {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

describe('createCertificateForApiKey', () => {
  it('produces a certificate whose identity equals the API key identity (ours and openssl)', async () => {
    const key = ApiKey.generate();
    const { certPem, keyPem } = await createCertificateForApiKey(key);
    const der = new X509Certificate(certPem).raw;
    expect(identityOfCertificate(der)).toBe(key.identity);
    expect(identifyPeer([der])).toBe(key.identity);
    expect(isCaCertificate(der)).toBe(false);

    const pubPem = openssl(['x509', '-pubkey', '-noout'], certPem);
    const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pubPem });
    expect(openssl(['dgst', '-sha256', '-r'], spki).split(' ')[0]).toBe(key.identity);

    // The key PEM is the API key's private key.
    const privateKey = createPrivateKey(keyPem);
    expect(privateKey.asymmetricKeyType).toBe('ed25519');
    expect(privateKey.export({ format: 'der', type: 'pkcs8' })).toEqual(key.privateKey().export({ format: 'der', type: 'pkcs8' }));
  });

  it('is parsed by openssl x509 with the §3.2 profile', async () => {
    const key = ApiKey.generate();
    const { certPem } = await createCertificateForApiKey(key);
    expect(certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    const text = openssl(['x509', '-noout', '-text'], certPem);
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toContain('Signature Algorithm: ED25519');
    expect(text).toContain(`Subject: CN = ${key.identity}`);
    expect(text).toContain(`Issuer: CN = ${key.identity}`);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: ?\s+TLS Web Client Authentication\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE\n/);
  });

  it('is correctly self-signed, valid from now for 90 days, with a positive 128-bit serial', async () => {
    const before = Date.now();
    const key = ApiKey.generate();
    const { certPem } = await createCertificateForApiKey(key);
    const cert = new X509Certificate(certPem);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.issuer).toBe(cert.subject); // self-issued (checkIssued would demand keyCertSign, which §3.2 omits)
    const notBefore = Date.parse(cert.validFrom);
    const notAfter = Date.parse(cert.validTo);
    expect(notBefore).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(notBefore).toBeLessThanOrEqual(Date.now());
    expect(notAfter - notBefore).toBe(90 * DAY_MS);
    const serial = openssl(['x509', '-noout', '-serial'], certPem).trim().replace(/^serial=/, '');
    expect(serial).toMatch(/^[0-9A-F]+$/);
    expect(BigInt(`0x${serial}`)).toBeGreaterThan(0n);
    expect(BigInt(`0x${serial}`)).toBeLessThan(1n << 128n);
  });

  it('uses fresh serials and honours validForDays', async () => {
    const key = ApiKey.generate();
    const a = new X509Certificate((await createCertificateForApiKey(key, { validForDays: 1 })).certPem);
    const b = new X509Certificate((await createCertificateForApiKey(key, { validForDays: 365 })).certPem);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(Date.parse(a.validTo) - Date.parse(a.validFrom)).toBe(DAY_MS);
    expect(Date.parse(b.validTo) - Date.parse(b.validFrom)).toBe(365 * DAY_MS);
    expect(identityOfCertificate(a.raw)).toBe(identityOfCertificate(b.raw));
  });

  it('rejects a non-positive or non-finite validity with RangeError', async () => {
    const key = ApiKey.generate();
    for (const validForDays of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 10_000_000]) {
      await expect(createCertificateForApiKey(key, { validForDays })).rejects.toThrow(RangeError);
    }
  });
});
