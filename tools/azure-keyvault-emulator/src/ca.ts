/**
 * The emulator's TLS material: a private CA (kept in the state directory when there is one) and a server certificate
 * it signs. Clients trust the CA (`NODE_EXTRA_CA_CERTS` or `tlsOptions.ca`, shared/spec/azure-keyvault.md §3.4); the
 * server certificate covers localhost, 127.0.0.1, ::1, `*.localhost` and `*.vault.azure.net` (so
 * verification-on set-ups with a custom `lookup` work, §4.5).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCa as createCaPair, issueCertificate, type PemPair } from '@kes/emulator-support';

/** A server certificate (leaf) with its private key, both PEM, plus the CA that signed it. */
export interface TlsMaterial extends PemPair {
  readonly ca: PemPair;
}

/** Host names the server certificate always covers. */
export const DEFAULT_SERVER_NAMES: readonly string[] = ['localhost', '*.localhost', '*.vault.azure.net', '127.0.0.1', '::1'];

/**
 * Generates a fresh CA (`KES Azure Key Vault Emulator CA`, 10 years, pathLen 0).
 * @returns the CA certificate and its PKCS#8 key, PEM.
 */
export function createCa(): Promise<PemPair> {
  return createCaPair({ commonName: 'KES Azure Key Vault Emulator CA', validDays: 3650 });
}

/**
 * Issues a server certificate (CN localhost, 1 year) signed by `ca` for `names` (DNS names and IP literals).
 * @throws if the CA key or certificate PEM is unreadable.
 */
export async function issueServerCertificate(ca: PemPair, names: readonly string[] = DEFAULT_SERVER_NAMES): Promise<TlsMaterial> {
  const leaf = await issueCertificate(ca, { commonName: 'localhost', usage: 'server', names, validDays: 365 });
  return { ca, ...leaf };
}

/**
 * Loads `ca.pem` + `ca-key.pem` from `dir`, or creates and stores them (mode 0600 for the key), so that a
 * client that trusts the CA once keeps trusting it across emulator restarts.
 */
export async function loadOrCreateCa(dir: string): Promise<PemPair> {
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
