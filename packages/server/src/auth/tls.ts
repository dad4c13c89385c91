/**
 * The server's TLS set-up (spec §1.1): HTTPS only, TLS ≥ 1.2, ALPN `h2` and `http/1.1`, a client certificate always
 * requested but never enforced by Node itself — the server applies KES's client-auth modes on its own:
 *
 * | `tls.auth` | no `skip_auth` route | some `skip_auth` route |
 * |---|---|---|
 * | `off` | certificate required (HTTP 400 without one), not verified | optional, not verified |
 * | `on`  | required and verified against system roots ∪ `tls.ca` | verified if given |
 *
 * A certificate that fails verification under `auth: on` gets the connection closed right after the handshake (what
 * Go's handshake failure looks like to a TLS 1.3 client); a missing certificate is answered per request with KES's own
 * error `400 tls: client certificate is required` — more helpful than a bare alert, and `/version` keeps working.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContextOptions } from 'node:tls';
import type { ServerOptions } from '../server-options.js';

/** Whether a PEM private key is password-protected (legacy `Proc-Type: 4,ENCRYPTED` or encrypted PKCS#8). */
export function isEncryptedPemKey(pem: string | Buffer): boolean {
  return /Proc-Type: 4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(typeof pem === 'string' ? pem : pem.toString('latin1'));
}

/**
 * Whether an encrypted key fails to open with `password`. A wrong password usually reads as OpenSSL's "bad decrypt",
 * but about one time in 256 the garbage it decrypts to has valid padding and fails later as an undecodable key.
 */
function cannotDecrypt(key: string | Buffer, password: string): boolean {
  if (!isEncryptedPemKey(key)) return false;
  try {
    createPrivateKey({ key, format: 'pem', passphrase: password });
    return false;
  } catch {
    return true;
  }
}

/** The exact upstream start-up error for a server certificate without a DNS or IP SAN. */
export const NO_SAN_MESSAGE = 'invalid TLS certificate: certificate does not contain any DNS or IP address as SAN';

/** Fixed server options of the listener (the part `setSecureContext` does not replace). */
export const LISTENER_TLS_OPTIONS = {
  allowHTTP1: true,
  ALPNProtocols: ['h2', 'http/1.1'],
  minVersion: 'TLSv1.2',
  requestCert: true,
  rejectUnauthorized: false,
} as const;

/**
 * Throws unless the first certificate of `certPem` carries a DNS or IP address SAN.
 * @throws Error with {@link NO_SAN_MESSAGE}, or `invalid TLS certificate: <reason>` when it does not parse.
 */
export function checkServerCertificate(certPem: string | Buffer): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new Error(`invalid TLS certificate: ${err instanceof Error ? err.message : String(err)}`);
  }
  const san = cert.subjectAltName ?? '';
  if (!/(^|, )(DNS:|IP Address:)/.test(san)) throw new Error(NO_SAN_MESSAGE);
}

/**
 * The secure-context options for `tls`: key (decrypted with `password`), certificate chain, TLS ≥ 1.2, and — with
 * `auth: on` — the client CA list (system roots plus `tls.ca`; Node's `ca` replaces the roots, so both are given).
 * Validates everything by building a context once.
 * @throws Error `invalid TLS certificate: …` (see {@link checkServerCertificate}) or
 *   `invalid TLS config: <reason>` when the key cannot be decrypted/parsed or does not match the certificate.
 */
export function secureContextOptions(tls: ServerOptions['tls']): SecureContextOptions {
  checkServerCertificate(tls.cert);
  const options: SecureContextOptions = {
    key: tls.key,
    cert: tls.cert,
    minVersion: 'TLSv1.2',
    ...(tls.password !== undefined && tls.password !== '' ? { passphrase: tls.password } : {}),
    ...(tls.auth === 'on' ? { ca: [...rootCertificates, ...(tls.ca ?? []).map((c) => c.toString())] } : {}),
  };
  try {
    createSecureContext(options);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const wrongPassword =
      /bad decrypt|bad password|interrupted or cancelled/i.test(reason) ||
      (tls.password !== undefined && tls.password !== '' && cannotDecrypt(tls.key, tls.password));
    throw new Error(`invalid TLS config: ${wrongPassword ? `cannot decrypt private key (wrong tls.password?): ${reason}` : reason}`);
  }
  return options;
}
