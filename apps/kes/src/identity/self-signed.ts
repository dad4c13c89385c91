/**
 * The certificate `kes identity new` writes: a self-signed Ed25519 certificate for a TLS client or server.
 */
import { createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

/** What goes into the certificate. */
export interface SelfSignedOptions {
  /** Ed25519 private key (the public key is derived). */
  privateKey: KeyObject;
  /** Subject (and issuer) common name. */
  commonName: string;
  /** DNS subject alternative names. */
  dnsNames: readonly string[];
  /** IP subject alternative names (IPv4 or IPv6 literals). */
  ips: readonly string[];
  /** Validity in milliseconds from now. */
  validForMs: number;
}

type X509Module = typeof import('@peculiar/x509');

async function loadX509(): Promise<X509Module> {
  await import('reflect-metadata'); // @peculiar/x509's DI container needs the polyfill first
  return import('@peculiar/x509');
}

/**
 * Creates the certificate: random positive 128-bit serial, subject = issuer = CN, NotBefore now, NotAfter now +
 * `validForMs`, KeyUsage digitalSignature, ExtKeyUsage serverAuth + clientAuth, BasicConstraints CA=false, and the
 * SANs (spec §7.2 `kes identity new`).
 * @returns the certificate as PEM (with a trailing newline).
 * @throws Error for an invalid IP literal or a validity that is not positive.
 */
export async function createSelfSignedCertificate(opts: SelfSignedOptions): Promise<string> {
  for (const ip of opts.ips) if (isIP(ip) === 0) throw new Error(`invalid IP address '${ip}'`);
  if (!(opts.validForMs > 0)) throw new Error('the validity period must be positive');
  const x509 = await loadX509();
  const algorithm = { name: 'Ed25519' };
  const der = opts.privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(opts.privateKey).export({ format: 'der', type: 'spki' });
  const signingKey = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']);
  const name = [{ CN: [opts.commonName] }];
  const now = Date.now();
  const sans = [
    ...opts.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...opts.ips.map((value) => ({ type: 'ip' as const, value })),
  ];
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: name,
      issuer: name,
      notBefore: new Date(now),
      notAfter: new Date(now + opts.validForMs),
      signingAlgorithm: algorithm,
      publicKey,
      signingKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth], false),
        new x509.BasicConstraintsExtension(false, undefined, true),
        ...(sans.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(sans, false)]),
      ],
    },
    webcrypto as unknown as Parameters<X509Module['X509CertificateGenerator']['create']>[1],
  );
  return `${certificate.toString('pem')}\n`;
}

/** A random serial in [1, 2^128) as minimal hex. */
function randomSerialHex(): string {
  for (;;) {
    const hex = randomBytes(16).toString('hex').replace(/^(?:00)+/, '');
    if (hex !== '') return hex;
  }
}
