import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from './certificates.js';

describe('createCa / issueCertificate', () => {
  it('issues a server certificate chained to the CA, for its DNS names and IP literals', async () => {
    const ca = await createCa({ commonName: 'Test CA', validDays: 10 });
    const leaf = await issueCertificate(ca, { commonName: 'localhost', usage: 'server', names: ['localhost', '*.vault.azure.net', '127.0.0.1', '::1'], validDays: 2 });
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe('CN=Test CA');
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('v.vault.azure.net')).toBe('*.vault.azure.net');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThan(2.1);
  });

  it('issues a client certificate without names, and PEM keys that match the certificates', async () => {
    const ca = await createCa({ commonName: 'Test CA', validDays: 10 });
    const leaf = await issueCertificate(ca, { commonName: 'kes-client', usage: 'client', validDays: 10 });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.subject).toBe('CN=kes-client');
    expect(cert.subjectAltName).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.checkPrivateKey(createPrivateKey(leaf.keyPem))).toBe(true);
    expect(new X509Certificate(ca.certPem).checkPrivateKey(createPrivateKey(ca.keyPem))).toBe(true);
    for (const pem of [ca.certPem, ca.keyPem, leaf.certPem, leaf.keyPem]) expect(pem).toMatch(/^-----BEGIN [A-Z ]+-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END [A-Z ]+-----\n$/);
  });

  it('refuses a CA whose key PEM is unreadable', async () => {
    const ca = await createCa({ commonName: 'Test CA', validDays: 10 });
    await expect(issueCertificate({ certPem: ca.certPem, keyPem: 'not a key' }, { commonName: 'x', usage: 'client', validDays: 1 })).rejects.toThrow();
  });
});
