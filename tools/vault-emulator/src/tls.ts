/**
 * TLS material for the HTTPS mode, generated in-process (WebCrypto ECDSA P-256 + `@peculiar/x509`): a private CA,
 * a server certificate for localhost/127.0.0.1/::1 and a client certificate, both signed by the CA.
 */
import { randomBytes, webcrypto } from 'node:crypto';

type X509 = typeof import('@peculiar/x509');
let loaded: Promise<X509> | undefined;

/** `@peculiar/x509` needs `reflect-metadata` loaded first (tsyringe). */
function x509(): Promise<X509> {
  loaded ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return loaded;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A certificate and its PKCS#8 private key, both PEM. */
export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** The emulator's TLS material. */
export interface EmulatorTls {
  /** The CA that signed both leaves (clients trust `ca.certPem`). */
  readonly ca: PemPair;
  /** The server's certificate (SANs localhost, 127.0.0.1, ::1). */
  readonly server: PemPair;
  /** A client certificate (CN `kes-client`) the server accepts when it requires one. */
  readonly client: PemPair;
}

/** Generates a fresh CA and the two leaf certificates (valid from yesterday for 30 days). */
export async function generateTls(): Promise<EmulatorTls> {
  const lib = await x509();
  const now = Date.now();
  const caKeys = await newKeys();
  const caCert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=KES Vault Emulator CA',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 30 * DAY_MS),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new lib.BasicConstraintsExtension(true, 0, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign, true),
      await lib.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leaf = async (cn: string, usage: 'server' | 'client'): Promise<PemPair> => {
    const keys = await newKeys();
    const sans = usage === 'server'
      ? [{ type: 'dns' as const, value: 'localhost' }, { type: 'ip' as const, value: '127.0.0.1' }, { type: 'ip' as const, value: '::1' }]
      : [];
    const cert = await lib.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${cn}`,
      issuer: caCert.subject,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 30 * DAY_MS),
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALG,
      extensions: [
        new lib.BasicConstraintsExtension(false, undefined, true),
        new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
        new lib.ExtendedKeyUsageExtension([usage === 'server' ? lib.ExtendedKeyUsage.serverAuth : lib.ExtendedKeyUsage.clientAuth]),
        ...(sans.length > 0 ? [new lib.SubjectAlternativeNameExtension(sans)] : []),
        await lib.AuthorityKeyIdentifierExtension.create(caCert),
      ],
    });
    return { certPem: `${cert.toString('pem')}\n`, keyPem: await privatePem(keys.privateKey) };
  };
  return {
    ca: { certPem: `${caCert.toString('pem')}\n`, keyPem: await privatePem(caKeys.privateKey) },
    server: await leaf('localhost', 'server'),
    client: await leaf('kes-client', 'client'),
  };
}

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

async function privatePem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}
