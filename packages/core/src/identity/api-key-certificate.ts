import { randomBytes, webcrypto } from 'node:crypto';
import type { ApiKey } from './api-key.js';

/** Default validity of a certificate derived from an API key (spec §3.2). */
const DEFAULT_VALID_FOR_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Upper bound on `validForDays`, so that NotAfter stays a representable X.509 time (before year 10000). */
const MAX_VALID_FOR_DAYS = 365 * 1000;

/** Options of {@link createCertificateForApiKey}. */
export interface ApiKeyCertificateOptions {
  /** Validity period in days from now; default 90. Must be a positive finite number. */
  validForDays?: number;
}

/**
 * Creates the self-signed client certificate a KES client derives from an API key (spec §3.2): Ed25519 signature,
 * random positive 128-bit serial, subject and issuer CN = the key's identity, NotBefore now, NotAfter now +
 * `validForDays` (default 90), KeyUsage digitalSignature (critical), ExtKeyUsage clientAuth, BasicConstraints CA=false
 * (critical). The identity of the certificate (§3.1) equals `key.identity`.
 *
 * `@peculiar/x509` (and the `reflect-metadata` polyfill its DI container needs) is loaded on first call only, so
 * importing `@kes/core` does not pay for it.
 *
 * @returns PEM of the certificate and PEM (PKCS#8) of the private key; the key PEM is secret — never log it.
 * @throws {RangeError} if `validForDays` is not a positive finite number of at most 365000. Rejects with whatever the
 *   crypto provider throws only on an internal failure (not expected for a valid {@link ApiKey}).
 */
export async function createCertificateForApiKey(
  key: ApiKey,
  opts: ApiKeyCertificateOptions = {},
): Promise<{ certPem: string; keyPem: string }> {
  const validForDays = opts.validForDays ?? DEFAULT_VALID_FOR_DAYS;
  if (!Number.isFinite(validForDays) || validForDays <= 0 || validForDays > MAX_VALID_FOR_DAYS) {
    throw new RangeError(`validForDays must be a positive number of at most ${MAX_VALID_FOR_DAYS}`);
  }
  const x509 = await loadX509();

  const privateKey = key.privateKey();
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const algorithm = { name: 'Ed25519' };
  const signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('raw', key.publicKey, algorithm, true, ['verify']);

  const now = Date.now();
  const name = `CN=${key.identity}`;
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: name,
      issuer: name,
      notBefore: new Date(now),
      notAfter: new Date(now + validForDays * DAY_MS),
      signingAlgorithm: algorithm,
      publicKey,
      signingKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
        new x509.BasicConstraintsExtension(false, undefined, true),
      ],
    },
    webcrypto as unknown as Parameters<X509Module['X509CertificateGenerator']['create']>[1],
  );
  return {
    certPem: `${certificate.toString('pem')}\n`,
    keyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** A random serial in [1, 2^128) as minimal hex; the library adds a 0x00 octet when the top bit is set. */
function randomSerialHex(): string {
  for (;;) {
    const hex = randomBytes(16).toString('hex').replace(/^(?:00)+/, '');
    if (hex !== '') return hex;
  }
}

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | undefined;

/** Loads `reflect-metadata` (required by tsyringe inside @peculiar/x509) and then `@peculiar/x509`, once. */
function loadX509(): Promise<X509Module> {
  x509Module ??= import('reflect-metadata')
    .then(() => import('@peculiar/x509'))
    .catch((err: unknown) => {
      x509Module = undefined; // retry on the next call instead of caching the failure
      throw err;
    });
  return x509Module;
}
