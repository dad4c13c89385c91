/**
 * The emulator's TLS material: a private CA and a server certificate it signs, generated in-process with
 * WebCrypto (ECDSA P-256) and `@peculiar/x509`. Clients trust the CA (`NODE_EXTRA_CA_CERTS` or `tlsOptions.ca`,
 * shared/spec/azure-keyvault.md §3.4); the server certificate covers localhost, 127.0.0.1, ::1, `*.localhost`
 * and `*.vault.azure.net` (so verification-on set-ups with a custom `lookup` work, §4.5).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/** A CA certificate with its private key, both PEM. */
export interface CaMaterial {
  certPem: string;
  keyPem: string;
}

/** A server certificate (leaf) with its private key, both PEM, plus the CA that signed it. */
export interface TlsMaterial {
  ca: CaMaterial;
  certPem: string;
  keyPem: string;
}

/** Host names the server certificate always covers. */
export const DEFAULT_SERVER_NAMES: readonly string[] = ['localhost', '*.localhost', '*.vault.azure.net', '127.0.0.1', '::1'];

function toPem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----\n`;
}

function fromPem(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // keep it positive
  return bytes.toString('hex');
}

/**
 * Generates a fresh CA (10 years, pathLen 0).
 * @returns the CA certificate and its PKCS#8 key, PEM.
 */
export async function createCa(commonName = 'KES Azure Key Vault Emulator CA'): Promise<CaMaterial> {
  const x509 = await loadX509();
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: toPem('PRIVATE KEY', pkcs8) };
}

/**
 * Issues a server certificate (1 year) signed by `ca` for `names` (DNS names and IP literals).
 * @throws if the CA key or certificate PEM is unreadable.
 */
export async function issueServerCertificate(ca: CaMaterial, names: readonly string[] = DEFAULT_SERVER_NAMES): Promise<TlsMaterial> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey('pkcs8', fromPem(ca.keyPem), ALG, false, ['sign']);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const sans = names.map((n) => (/^[\d.]+$/.test(n) || n.includes(':') ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost',
    issuer: caCert.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { ca, certPem: cert.toString('pem') + '\n', keyPem: toPem('PRIVATE KEY', pkcs8) };
}

/**
 * Loads `ca.pem` + `ca-key.pem` from `dir`, or creates and stores them (mode 0600 for the key), so that a
 * client that trusts the CA once keeps trusting it across emulator restarts.
 */
export async function loadOrCreateCa(dir: string): Promise<CaMaterial> {
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca-key.pem');
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    if (certPem.includes('BEGIN CERTIFICATE') && keyPem.includes('BEGIN PRIVATE KEY')) return { certPem, keyPem };
  } catch {
    // absent or unreadable: create below
  }
  const ca = await createCa();
  await mkdir(dir, { recursive: true });
  await writeFile(keyFile, ca.keyPem, { mode: 0o600 });
  await writeFile(certFile, ca.certPem, { mode: 0o644 });
  return ca;
}
