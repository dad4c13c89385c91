import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { decodeBase64 } from '../base64.js';
import { Errors } from '../errors.js';

/** Text prefix of a version-1 API key (spec §3.2). */
const PREFIX = 'kes:v1:';
/** Type byte of an Ed25519 API key. */
const TYPE_ED25519 = 0x00;
/** Length of an Ed25519 seed (private key) in bytes. */
const SEED_LENGTH = 32;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; followed by the 32-byte public key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** DER prefix of an Ed25519 PKCS#8 PrivateKeyInfo; followed by the 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * A KES API key (spec §3.2): an Ed25519 private key in the text form `kes:v1:` + base64std(0x00 ‖ 32-byte seed).
 *
 * The identity of an API key is the identity of any certificate for its public key: lowercase hex
 * SHA-256(`302a300506032b6570032100` ‖ public key). The seed is held privately; `util.inspect` (and therefore
 * `console.log`) shows only the identity.
 */
export class ApiKey {
  /** Lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo (64 characters). */
  readonly identity: string;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  readonly #seed: Uint8Array;
  readonly #privateKey: KeyObject;

  private constructor(seed: Uint8Array) {
    this.#seed = Uint8Array.from(seed);
    this.#privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, this.#seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = createPublicKey(this.#privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = Uint8Array.from(spki.subarray(ED25519_SPKI_PREFIX.length));
    this.identity = createHash('sha256').update(spki).digest('hex');
  }

  /**
   * Parses the text form of an API key. The `kes:v1:` prefix is optional (a bare base64 string also parses, like Go).
   *
   * @returns the key; `toString()` of a key parsed from a prefixed string returns exactly that string.
   * @throws {KesError} `Errors.invalidApiKey('invalid encoding')` if the text after the prefix is not standard base64
   *   with padding; `Errors.invalidApiKey('invalid length')` if it does not decode to 33 bytes;
   *   `Errors.invalidApiKey('unsupported type')` if the first byte is not 0 (Ed25519). Never throws anything else.
   */
  static parse(text: string): ApiKey {
    if (typeof text !== 'string') throw Errors.invalidApiKey('invalid encoding');
    const encoded = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(encoded);
    } catch {
      throw Errors.invalidApiKey('invalid encoding');
    }
    if (bytes.length !== 1 + SEED_LENGTH) throw Errors.invalidApiKey('invalid length');
    if (bytes[0] !== TYPE_ED25519) throw Errors.invalidApiKey('unsupported type');
    return new ApiKey(bytes.subarray(1));
  }

  /** Generates a fresh API key from 32 cryptographically random bytes. Never throws. */
  static generate(): ApiKey {
    return new ApiKey(randomBytes(SEED_LENGTH));
  }

  /** The Ed25519 private key as a node:crypto `KeyObject` (usable with `crypto.sign(null, data, key)`). */
  privateKey(): KeyObject {
    return this.#privateKey;
  }

  /** The canonical text form `kes:v1:<base64std(0x00 ‖ seed)>` (44 base64 characters, no padding). */
  toString(): string {
    return PREFIX + Buffer.concat([Buffer.of(TYPE_ED25519), this.#seed]).toString('base64');
  }

  /** Redacted representation for `util.inspect` / `console.log`: never shows the seed. */
  [inspect.custom](): string {
    return `ApiKey { identity: '${this.identity}' }`;
  }
}
