/**
 * A private test CA and the certificates it signs, generated in-process (WebCrypto ECDSA P-256 and
 * `@peculiar/x509`), for emulators that serve HTTPS.
 */
import { randomBytes, webcrypto } from 'node:crypto';

type X509 = typeof import('@peculiar/x509');
let x509Module: Promise<X509> | undefined;

/** Loads `reflect-metadata` (needed by tsyringe inside `@peculiar/x509`) and then `@peculiar/x509`, once. */
function loadX509(): Promise<X509> {
  x509Module ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Module;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A certificate and its PKCS#8 private key, both PEM with a final newline. */
export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A certificate {@link issueCertificate} signs. */
export interface LeafSpec {
  /** The subject's common name. */
  readonly commonName: string;
  /** The extended key usage: TLS server or TLS client. */
  readonly usage: 'server' | 'client';
  /** Subject alternative names: IP literals (digits and dots, or containing `:`) and DNS names. None: no SAN extension. */
  readonly names?: readonly string[];
  /** Validity from one day ago, in days from now. */
  readonly validDays: number;
}

/** A positive random 128-bit serial number, hex. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
}

async function pemPair(x509: X509, cert: { toString(format: 'pem'): string }, key: webcrypto.CryptoKey): Promise<PemPair> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return { certPem: `${cert.toString('pem')}\n`, keyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n` };
}

/**
 * Generates a fresh self-signed CA (basic constraints CA with path length 0, key usage keyCertSign and cRLSign).
 * @returns the CA certificate and its private key, PEM.
 */
export async function createCa(opts: { readonly commonName: string; readonly validDays: number }): Promise<PemPair> {
  const x509 = await loadX509();
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${opts.commonName}`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + opts.validDays * DAY_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return pemPair(x509, cert, keys.privateKey);
}

/**
 * Issues a leaf certificate signed by `ca` (a pair from {@link createCa}) with a fresh key.
 * @returns the leaf certificate and its private key, PEM.
 * @throws if the CA certificate or key PEM is unreadable.
 */
export async function issueCertificate(ca: PemPair, leaf: LeafSpec): Promise<PemPair> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.keyPem), ALG, false, ['sign']);
  const keys = await newKeys();
  const now = Date.now();
  const sans = (leaf.names ?? []).map((n) => ({ type: /^[\d.]+$/.test(n) || n.includes(':') ? ('ip' as const) : ('dns' as const), value: n }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${leaf.commonName}`,
    issuer: caCert.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + leaf.validDays * DAY_MS),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([leaf.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return pemPair(x509, cert, keys.privateKey);
}
