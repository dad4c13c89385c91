/**
 * The roots a forwarded client certificate is verified against when `tls.auth: on` (spec §3.5): the system roots
 * plus `tls.ca`, as for directly connected clients (§1.1). Parsed lazily, once.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Splits PEM bundles into single certificates; blocks that do not parse are skipped. Never throws. */
export function parsePemCertificates(pems: ReadonlyArray<string | Buffer>): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const pem of pems) {
    for (const block of pem.toString().match(PEM_BLOCK) ?? []) {
      try {
        out.push(new X509Certificate(block));
      } catch {
        // not a certificate: ignored here (the config loader validates tls.ca)
      }
    }
  }
  return out;
}

/** A set of trusted certificates. */
export class TrustStore {
  readonly #pems: ReadonlyArray<string | Buffer>;
  #roots: X509Certificate[] | undefined;

  /** @param pems - PEM bundles trusted in addition to the system roots. */
  constructor(pems: ReadonlyArray<string | Buffer>) {
    this.#pems = pems;
  }

  #trusted(): X509Certificate[] {
    this.#roots ??= parsePemCertificates([...this.#pems, ...rootCertificates]);
    return this.#roots;
  }

  /**
   * Whether `der` is currently valid and is either trusted itself or directly issued (and signed) by a trusted CA
   * certificate. Chains through intermediates are not built: a proxy forwards a single certificate. Never throws.
   */
  verify(der: Uint8Array, now: Date = new Date()): boolean {
    let leaf: X509Certificate;
    try {
      leaf = new X509Certificate(der);
    } catch {
      return false;
    }
    if (now < new Date(leaf.validFrom) || now > new Date(leaf.validTo)) return false;
    for (const root of this.#trusted()) {
      if (root.raw.equals(leaf.raw)) return true;
      try {
        if (root.ca && leaf.checkIssued(root) && leaf.verify(root.publicKey)) return true;
      } catch {
        // unsupported key type for verification: not this root
      }
    }
    return false;
  }
}
