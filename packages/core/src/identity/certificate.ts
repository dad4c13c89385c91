import { Errors } from '../errors.js';
import { type DerNode, isContext, isUniversal, parseDer, Tag } from './der.js';

/**
 * The largest certificate (in bytes) this project parses. Real client certificates are a few KiB; anything larger is
 * rejected before parsing so that a peer cannot make the server walk megabytes of ASN.1.
 */
export const MAX_CERTIFICATE_SIZE = 64 * 1024;

/** Content octets of the BasicConstraints extension's OID 2.5.29.19 (RFC 5280 §4.2.1.9). */
const OID_BASIC_CONSTRAINTS = '551d13';

/** What the identity layer needs to know about one X.509 certificate. */
export interface ParsedCertificate {
  /** The DER `SubjectPublicKeyInfo` exactly as embedded in the certificate (a copy, never a re-encoding). */
  readonly spki: Uint8Array;
  /** True iff a BasicConstraints extension is present and its `cA` field is TRUE (Go's `IsCA`). */
  readonly isCa: boolean;
}

/**
 * Parses the DER encoding of an X.509 certificate far enough to find its SubjectPublicKeyInfo and BasicConstraints.
 *
 * The outer structure (Certificate, TBSCertificate field order, SPKI, extensions) must be well-formed strict DER; the
 * signature is not verified and names, validity and other extensions are not interpreted.
 *
 * @throws {KesError} `Errors.invalidCertificate(detail)` for empty, oversized, truncated or malformed input, duplicate
 *   extensions or a malformed BasicConstraints value. Never throws anything else.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  if (!(der instanceof Uint8Array)) throw Errors.invalidCertificate('not a byte array');
  if (der.length === 0) throw Errors.invalidCertificate('empty certificate');
  if (der.length > MAX_CERTIFICATE_SIZE) throw Errors.invalidCertificate('certificate too large');
  const root = parseDer(der);
  if (root === undefined) throw Errors.invalidCertificate('malformed DER');

  const [tbs, signatureAlgorithm, signature, ...rest] = root.children;
  if (
    !isUniversal(root, Tag.SEQUENCE) ||
    !isUniversal(tbs, Tag.SEQUENCE) ||
    !isUniversal(signatureAlgorithm, Tag.SEQUENCE) ||
    !isUniversal(signature, Tag.BIT_STRING) ||
    rest.length !== 0
  ) {
    throw Errors.invalidCertificate('malformed certificate');
  }

  const fields = [...tbs.children];
  if (isContext(fields[0], 0)) checkVersion(fields.shift()!); // version [0] EXPLICIT, absent for v1
  const [serial, sigAlg, issuer, validity, subject, spki, ...optional] = fields;
  if (
    !isUniversal(serial, Tag.INTEGER) ||
    !isUniversal(sigAlg, Tag.SEQUENCE) ||
    !isUniversal(issuer, Tag.SEQUENCE) ||
    !isUniversal(validity, Tag.SEQUENCE) ||
    !isUniversal(subject, Tag.SEQUENCE) ||
    !isValidSpki(spki)
  ) {
    throw Errors.invalidCertificate('malformed TBS certificate');
  }
  return { spki: spki.raw.slice(), isCa: isCaFromOptionalFields(optional) };
}

/** version [0] EXPLICIT INTEGER { v1(0), v2(1), v3(2) } — Go accepts an explicit v1 as well. */
function checkVersion(explicit: DerNode): void {
  const version = explicit.children[0];
  if (
    !explicit.constructed ||
    explicit.children.length !== 1 ||
    !isUniversal(version, Tag.INTEGER) ||
    version.content.length !== 1 ||
    version.content[0]! > 2
  ) {
    throw Errors.invalidCertificate('malformed version');
  }
}

/** SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }. */
function isValidSpki(node: DerNode | undefined): node is DerNode {
  if (!isUniversal(node, Tag.SEQUENCE) || node.children.length !== 2) return false;
  const [algorithm, key] = node.children;
  return isUniversal(algorithm, Tag.SEQUENCE) && isUniversal(algorithm.children[0], Tag.OID) && isUniversal(key, Tag.BIT_STRING);
}

/**
 * Walks `issuerUniqueID [1]`, `subjectUniqueID [2]` and `extensions [3]` (each optional, in this order) and returns
 * whether BasicConstraints marks the certificate as a CA.
 */
function isCaFromOptionalFields(fields: DerNode[]): boolean {
  let next = 1;
  let isCa = false;
  for (const field of fields) {
    const tag = field.tagNumber;
    if (!isContext(field, tag) || tag < next || tag > 3) throw Errors.invalidCertificate('malformed TBS certificate');
    next = tag + 1;
    if (tag === 3) isCa = isCaFromExtensions(field);
  }
  return isCa;
}

/** extensions [3] EXPLICIT SEQUENCE SIZE (1..MAX) OF Extension. */
function isCaFromExtensions(explicit: DerNode): boolean {
  const list = explicit.children[0];
  if (!explicit.constructed || explicit.children.length !== 1 || !isUniversal(list, Tag.SEQUENCE) || list.children.length === 0) {
    throw Errors.invalidCertificate('malformed extensions');
  }
  const seen = new Set<string>();
  let isCa = false;
  for (const extension of list.children) {
    const { oid, value } = readExtension(extension);
    const key = Buffer.from(oid.content).toString('hex');
    if (seen.has(key)) throw Errors.invalidCertificate('duplicate extension');
    seen.add(key);
    if (key === OID_BASIC_CONSTRAINTS) isCa = readBasicConstraintsCa(value.content);
  }
  return isCa;
}

/** Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function readExtension(node: DerNode): { oid: DerNode; value: DerNode } {
  if (isUniversal(node, Tag.SEQUENCE)) {
    const [oid, second, third, ...rest] = node.children;
    if (isUniversal(oid, Tag.OID) && rest.length === 0) {
      if (third === undefined && isUniversal(second, Tag.OCTET_STRING)) return { oid, value: second };
      if (isDerBoolean(second) && isUniversal(third, Tag.OCTET_STRING)) return { oid, value: third };
    }
  }
  throw Errors.invalidCertificate('malformed extension');
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }. */
function readBasicConstraintsCa(value: Uint8Array): boolean {
  const node = parseDer(value);
  if (isUniversal(node, Tag.SEQUENCE) && node.children.length <= 2) {
    const [first, second] = node.children;
    if (first === undefined) return false;
    if (isDerBoolean(first) && (second === undefined || isUniversal(second, Tag.INTEGER))) return first.content[0] === 0xff;
    if (second === undefined && isUniversal(first, Tag.INTEGER)) return false;
  }
  throw Errors.invalidCertificate('malformed basic constraints');
}

/** A DER BOOLEAN has exactly one content octet, 0x00 or 0xff. */
function isDerBoolean(node: DerNode | undefined): node is DerNode {
  return isUniversal(node, Tag.BOOLEAN) && node.content.length === 1 && (node.content[0] === 0 || node.content[0] === 0xff);
}
