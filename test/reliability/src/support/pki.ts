/**
 * Certificates of a scenario: a self-signed server certificate for 127.0.0.1/localhost (openssl CLI, like the
 * server's own tests) and API-key client identities (Ed25519 certificates derived with @kes/core, what MinIO uses).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKey, createCertificateForApiKey } from '@kes/core';

/** A PEM certificate and its private key. */
export interface CertPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A client identity: its certificate, the API key it derives from and the KES identity (hex SPKI hash). */
export interface ClientIdentity extends CertPair {
  readonly apiKey: string;
  readonly identity: string;
}

/**
 * Writes `server.key` and `server.crt` (self-signed P-256, SAN localhost + 127.0.0.1) into `dir`.
 * @returns the PEM contents. @throws Error when openssl fails.
 */
export function writeServerCertificate(dir: string): CertPair {
  const keyFile = join(dir, 'server.key');
  const certFile = join(dir, 'server.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile,
      '-subj', '/CN=localhost', '-days', '2', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

/** A fresh API key and its Ed25519 client certificate. */
export async function newClientIdentity(): Promise<ClientIdentity> {
  const key = ApiKey.generate();
  const { certPem, keyPem } = await createCertificateForApiKey(key);
  return { certPem, keyPem, apiKey: key.toString(), identity: key.identity };
}
