import { createHash } from 'node:crypto';
import { Errors } from '../errors.js';
import { MAX_CERTIFICATE_SIZE, parseCertificate } from './certificate.js';

/** What is remembered about a certificate that parsed successfully. */
interface CertificateFacts {
  readonly identity: string;
  readonly isCa: boolean;
}

/**
 * Parsing a certificate with asn1js costs ~0.2 ms, and a client presents the same certificate on every request, so
 * successful results are memoized by SHA-256 of the DER (bounded, oldest evicted first). Failures are not cached.
 */
const CACHE_LIMIT = 1024;
const cache = new Map<string, CertificateFacts>();

/** Parses (or recalls) `der`; throws exactly what {@link parseCertificate} throws. */
function certificateFacts(der: Uint8Array): CertificateFacts {
  if (!(der instanceof Uint8Array) || der.length > MAX_CERTIFICATE_SIZE) parseCertificate(der); // throws
  const key = createHash('sha256').update(der).digest('base64');
  let facts = cache.get(key);
  if (facts === undefined) {
    const { spki, isCa } = parseCertificate(der);
    facts = { identity: createHash('sha256').update(spki).digest('hex'), isCa };
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, facts);
  }
  return facts;
}

/**
 * The KES identity of an X.509 certificate (spec §3.1 step 4): lowercase hex SHA-256 over the DER
 * `SubjectPublicKeyInfo` exactly as embedded in the certificate — never a re-encoding of the parsed key.
 * Subject, SANs, validity and issuer do not matter; the signature is not verified.
 *
 * @param der - the certificate's DER bytes (e.g. `getPeerCertificate().raw`).
 * @returns 64 lowercase hex characters.
 * @throws {KesError} `Errors.invalidCertificate(detail)` for empty, oversized, truncated or malformed input. Never
 *   throws anything else.
 */
export function identityOfCertificate(der: Uint8Array): string {
  return certificateFacts(der).identity;
}

/**
 * Whether the certificate is a CA certificate in Go's sense (`IsCA`): a BasicConstraints extension is present and its
 * `cA` field is TRUE. A certificate without the extension (e.g. X.509 v1) is not a CA.
 *
 * @throws {KesError} `Errors.invalidCertificate(detail)` for malformed input (including a malformed BasicConstraints
 *   value). Never throws anything else.
 */
export function isCaCertificate(der: Uint8Array): boolean {
  return certificateFacts(der).isCa;
}

/**
 * The identity of a TLS peer from the certificates it sent (leaf and any intermediates), spec §3.1: every CA
 * certificate is dropped and exactly one certificate must remain; its identity is returned.
 *
 * @param chain - DER certificates in the order the peer sent them.
 * @returns the remaining certificate's identity (see {@link identityOfCertificate}).
 * @throws {KesError} `Errors.clientCertRequired()` when no non-CA certificate remains (including an empty chain);
 *   `Errors.multipleClientCerts()` when more than one remains; `Errors.invalidCertificate(detail)` when any certificate
 *   of the chain cannot be parsed. Never throws anything else.
 */
export function identifyPeer(chain: readonly Uint8Array[]): string {
  const leaves = chain.map(certificateFacts).filter((cert) => !cert.isCa);
  const [leaf, ...others] = leaves;
  if (leaf === undefined) throw Errors.clientCertRequired();
  if (others.length > 0) throw Errors.multipleClientCerts();
  return leaf.identity;
}
