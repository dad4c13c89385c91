import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How long a generated development certificate is valid (upstream `kes server --dev`: 90 days). */
export const DEV_CERT_VALID_DAYS = 90;
/** A stored certificate is regenerated when it expires within this many milliseconds. */
const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;

/** A development TLS certificate and its key, as files and PEM text. */
export interface DevCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
  /** True when an existing, still valid certificate was reused. */
  readonly reused: boolean;
}

/**
 * Returns the self-signed ECDSA P-256 server certificate of development mode, kept in `dir` as `server.crt` and
 * `server.key` (key mode 0600). An existing pair is reused when it parses, belongs together, covers every name in
 * `dnsNames` and `ipAddresses` and is valid for at least another day; otherwise a new pair (valid 90 days) replaces it.
 * @throws Error when `dir` cannot be created or written.
 */
export async function ensureDevCertificate(dir: string, dnsNames: readonly string[], ipAddresses: readonly string[]): Promise<DevCertificate> {
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  const existing = await readPair(certFile, keyFile);
  if (existing !== undefined && isUsable(existing.cert, existing.key, dnsNames, ipAddresses)) {
    return { certFile, keyFile, ...existing, reused: true };
  }
  const { cert, key } = await generate(dnsNames, ipAddresses);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const suffix = randomBytes(6).toString('hex');
  await writeFile(`${keyFile}.${suffix}`, key, { mode: 0o600 });
  await writeFile(`${certFile}.${suffix}`, cert, { mode: 0o644 });
  await rename(`${keyFile}.${suffix}`, keyFile);
  await rename(`${certFile}.${suffix}`, certFile);
  return { certFile, keyFile, cert, key, reused: false };
}

// --- Internal helpers ---

async function readPair(certFile: string, keyFile: string): Promise<{ cert: string; key: string } | undefined> {
  try {
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } catch {
    return undefined;
  }
}

function isUsable(certPem: string, keyPem: string, dnsNames: readonly string[], ipAddresses: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS || Date.parse(cert.validFrom) > Date.now()) return false;
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return false;
    const sans = (cert.subjectAltName ?? '').split(', ');
    return dnsNames.every((d) => sans.includes(`DNS:${d}`)) && ipAddresses.every((ip) => sans.includes(`IP Address:${normalizeIp(ip)}`));
  } catch {
    return false;
  }
}

/** Node prints IPv6 SANs in full uncompressed upper-case form (e.g. `0:0:0:0:0:0:0:1`). */
function normalizeIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => parseInt(g, 16).toString(16).toUpperCase()).join(':');
}

async function generate(dnsNames: readonly string[], ipAddresses: readonly string[]): Promise<{ cert: string; key: string }> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  const crypto = webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1];
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
      name: 'CN=localhost',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + DEV_CERT_VALID_DAYS * 24 * 60 * 60 * 1000),
      signingAlgorithm: algorithm,
      keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]["keys"],
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
          ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
        ]),
      ],
    },
    crypto,
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
  return { cert: `${certificate.toString('pem')}\n`, key };
}
