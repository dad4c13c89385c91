import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKesError } from '../errors.js';
import { identityOfCertificate, isCaCertificate } from './certificate-identity.js';

// --- a tiny independent DER encoder, so that the tests can build exactly the structures they need ---

function length(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const content = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), length(content.length), content]);
}
const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
const oid = (contentHex: string) => tlv(0x06, hex(contentHex));
const bool = (value: number) => tlv(0x01, Uint8Array.of(value));
const int = (value: number) => tlv(0x02, Uint8Array.of(value));
const octets = (...parts: Uint8Array[]) => tlv(0x04, ...parts);
const bits = (...parts: Uint8Array[]) => tlv(0x03, Uint8Array.of(0), ...parts);

const ED25519_ALG = seq(oid('2b6570'));
const SPKI = seq(ED25519_ALG, bits(hex('11'.repeat(32))));
const NAME = seq(tlv(0x31, seq(oid('550403'), tlv(0x13, Buffer.from('test')))));
const VALIDITY = seq(tlv(0x17, Buffer.from('200101000000Z')), tlv(0x17, Buffer.from('300101000000Z')));
const BC_OID = '551d13';

function extension(oidHex: string, value: Uint8Array, critical?: number): Uint8Array {
  return critical === undefined ? seq(oid(oidHex), octets(value)) : seq(oid(oidHex), bool(critical), octets(value));
}

/** A structurally complete certificate; `extensions` undefined → no [3] field. */
function cert(opts: { spki?: Uint8Array; extensions?: Uint8Array[]; version?: Uint8Array | null; extra?: Uint8Array[] } = {}) {
  const version = opts.version === undefined ? tlv(0xa0, int(2)) : opts.version;
  const tbs = seq(
    ...(version ? [version] : []),
    int(7),
    ED25519_ALG,
    NAME,
    VALIDITY,
    NAME,
    opts.spki ?? SPKI,
    ...(opts.extra ?? []),
    ...(opts.extensions ? [tlv(0xa3, seq(...opts.extensions))] : []),
  );
  return new Uint8Array(seq(tbs, ED25519_ALG, bits(hex('22'.repeat(64)))));
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function errorCode(fn: () => unknown): string {
  try {
    fn();
    return 'NO ERROR';
  } catch (err) {
    return isKesError(err) ? err.code : `NOT A KES ERROR: ${String(err)}`;
  }
}

describe('certificate structure', () => {
  it('hashes the SPKI bytes exactly as embedded, even when a re-encoding would differ', () => {
    // Ed25519 AlgorithmIdentifier with explicit NULL parameters (RFC 8410 says absent): a parsed-and-re-encoded key
    // would lose the 05 00, the identity must not.
    const oddSpki = seq(seq(oid('2b6570'), hex('0500')), bits(hex('11'.repeat(32))));
    expect(identityOfCertificate(cert({ spki: oddSpki }))).toBe(sha256(oddSpki));
    expect(identityOfCertificate(cert())).toBe(sha256(SPKI));
    expect(identityOfCertificate(cert({ version: null }))).toBe(sha256(SPKI)); // v1: no version field
    expect(identityOfCertificate(cert({ version: tlv(0xa0, int(0)) }))).toBe(sha256(SPKI));
  });

  it('reads BasicConstraints like Go: cA TRUE → CA; absent, empty, explicit FALSE or pathLen only → not CA', () => {
    const bc = (value: Uint8Array, critical?: number) => cert({ extensions: [extension(BC_OID, value, critical)] });
    expect(isCaCertificate(bc(seq(bool(0xff)), 0xff))).toBe(true);
    expect(isCaCertificate(bc(seq(bool(0xff), int(3))))).toBe(true); // non-critical still counts
    expect(isCaCertificate(bc(seq(), 0xff))).toBe(false);
    expect(isCaCertificate(bc(seq(bool(0)), 0xff))).toBe(false);
    expect(isCaCertificate(bc(seq(int(1))))).toBe(false);
    expect(isCaCertificate(cert())).toBe(false);
    expect(isCaCertificate(cert({ extensions: [extension('551d0f', tlv(0x03, hex('0780')), 0xff)] }))).toBe(false);
    const ku = extension('551d0f', tlv(0x03, hex('0204')), 0xff);
    expect(isCaCertificate(cert({ extensions: [ku, extension(BC_OID, seq(bool(0xff)))] }))).toBe(true);
    expect(isCaCertificate(cert({ extra: [tlv(0x81, hex('00ab'))], extensions: [extension(BC_OID, seq(bool(0xff)))] }))).toBe(true);
  });

  it.each([
    ['malformed BasicConstraints value', cert({ extensions: [extension(BC_OID, hex('30030101'))] })],
    ['non-DER BOOLEAN in BasicConstraints', cert({ extensions: [extension(BC_OID, seq(bool(0x01)))] })],
    ['BasicConstraints not a SEQUENCE', cert({ extensions: [extension(BC_OID, bool(0xff))] })],
    ['trailing bytes in BasicConstraints', cert({ extensions: [extension(BC_OID, Buffer.concat([seq(), hex('00')]))] })],
    ['duplicate extension', cert({ extensions: [extension(BC_OID, seq()), extension(BC_OID, seq())] })],
    ['empty extension list', cert({ extensions: [] })],
    ['non-DER critical flag', cert({ extensions: [extension(BC_OID, seq(), 0x01)] })],
    ['version 4', cert({ version: tlv(0xa0, int(3)) })],
    ['unique IDs out of order', cert({ extra: [tlv(0x82, hex('00')), tlv(0x81, hex('00'))] })],
    ['unknown trailing TBS field', cert({ extra: [tlv(0xa4, seq())] })],
    ['SPKI without key', cert({ spki: seq(ED25519_ALG) })],
    ['SPKI key not a BIT STRING', cert({ spki: seq(ED25519_ALG, octets(hex('11'))) })],
    ['truncated', cert().subarray(0, 50)],
    ['trailing garbage', Buffer.concat([cert(), hex('00')])],
    ['indefinite length', Buffer.concat([hex('3080'), cert().subarray(3), hex('0000')])],
    ['empty', new Uint8Array(0)],
    ['just a SEQUENCE', new Uint8Array(seq())],
  ])('rejects %s with INVALID_CERTIFICATE', (_, der) => {
    expect(errorCode(() => identityOfCertificate(der))).toBe('INVALID_CERTIFICATE');
  });

  it('rejects a non-minimal length encoding', () => {
    const good = cert();
    expect(good[1]).toBe(0x81); // short cert: one length octet
    const bad = Buffer.concat([hex('3082 00'), good.subarray(2)]);
    expect(errorCode(() => identityOfCertificate(bad))).toBe('INVALID_CERTIFICATE');
  });

  it('rejects oversized input and pathological nesting without throwing anything else', () => {
    expect(errorCode(() => identityOfCertificate(new Uint8Array(64 * 1024 + 1)))).toBe('INVALID_CERTIFICATE');
    let deep: Uint8Array = new Uint8Array(seq());
    for (let i = 0; i < 200; i++) deep = seq(deep);
    expect(errorCode(() => identityOfCertificate(deep))).toBe('INVALID_CERTIFICATE');
    const nested = new Uint8Array(20_000).fill(0x30).map((b, i) => (i % 2 ? 0x80 : b));
    expect(errorCode(() => identityOfCertificate(nested))).toBe('INVALID_CERTIFICATE');
    for (const junk of [undefined, null, 'MIIB', [0x30, 0x00]]) {
      expect(errorCode(() => identityOfCertificate(junk as unknown as Uint8Array))).toBe('INVALID_CERTIFICATE');
    }
  });
});

describe('memoization', () => {
  it('gives the same answers on repeated calls, also after more distinct certificates than the cache holds', () => {
    const spkiFor = (i: number) => seq(ED25519_ALG, bits(Buffer.alloc(32, 0).fill(i % 256, 0, 1).fill(i >> 8, 1, 2)));
    const ders = Array.from({ length: 1100 }, (_, i) => cert({ spki: spkiFor(i), extensions: i % 2 ? [extension(BC_OID, seq(bool(0xff)))] : undefined }));
    for (let round = 0; round < 2; round++) {
      ders.forEach((der, i) => {
        expect(identityOfCertificate(der)).toBe(sha256(spkiFor(i)));
        expect(isCaCertificate(der)).toBe(i % 2 === 1);
      });
    }
  });
});

describe('robustness (fast-check)', () => {
  let real: Uint8Array;
  beforeAll(() => {
    const pem = execFileSync('openssl', ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=fuzz', '-days', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    real = new Uint8Array(execFileSync('openssl', ['x509', '-outform', 'DER'], { input: pem }));
  }, 30_000);

  const failsCleanly = (der: Uint8Array): boolean => {
    try {
      return /^[0-9a-f]{64}$/.test(identityOfCertificate(der)) && typeof isCaCertificate(der) === 'boolean';
    } catch (err) {
      return isKesError(err, 'INVALID_CERTIFICATE');
    }
  };

  it('random bytes never throw anything but INVALID_CERTIFICATE', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), failsCleanly), { numRuns: 500 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.of(0x30, ...b)), failsCleanly), { numRuns: 500 });
  });

  it('every truncation of a valid certificate is rejected with INVALID_CERTIFICATE', () => {
    expect(failsCleanly(real)).toBe(true);
    for (let n = 0; n < real.length; n++) {
      expect(errorCode(() => identityOfCertificate(real.subarray(0, n)))).toBe('INVALID_CERTIFICATE');
    }
  });

  it('byte flips in a valid certificate yield an identity or INVALID_CERTIFICATE, nothing else', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const copy = Uint8Array.from(real);
        copy[at % copy.length]! ^= xor;
        return failsCleanly(copy);
      }),
      { numRuns: 1000 },
    );
  });
});
