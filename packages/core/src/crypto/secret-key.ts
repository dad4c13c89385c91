/**
 * A 32-byte secret key and KES's per-message authenticated encryption (spec `kes-protocol.md` §5.1–§5.3):
 * a random 16-byte IV derives a one-time key (AES256: HMAC-SHA-256(K, IV) → AES-256-GCM; ChaCha20: HChaCha20(K, IV)
 * → ChaCha20-Poly1305), a random 12-byte nonce feeds the AEAD, and the output is `ct ‖ tag ‖ IV ‖ nonce`.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  type CipherChaCha20Poly1305,
  type CipherGCM,
  type DecipherChaCha20Poly1305,
  type DecipherGCM,
} from 'node:crypto';
import { Errors } from '../errors.js';
import { IV_SIZE, NONCE_SIZE, TAG_SIZE, parseCiphertext, type ParsedCiphertext } from './ciphertext-formats.js';
import { hchachaKeyWords, hchachaWords } from './hchacha.js';
import type { KeyType } from './key-type.js';
import { takeRandom } from './random-pool.js';

/** Length of every secret key (and of each per-message derived key). */
export const SECRET_KEY_SIZE = 32;

const AEAD_OPTIONS = { authTagLength: TAG_SIZE } as const;
const EMPTY = new Uint8Array(0);

/** The AEAD sealing `algorithm` under the one-time key `key` with `nonce`. */
function newCipher(algorithm: KeyType, key: Uint8Array, nonce: Uint8Array): CipherGCM | CipherChaCha20Poly1305 {
  return algorithm === 'AES256'
    ? createCipheriv('aes-256-gcm', key, nonce, AEAD_OPTIONS)
    : createCipheriv('chacha20-poly1305', key, nonce, AEAD_OPTIONS);
}

/** The AEAD opening `algorithm` under the one-time key `key` with `nonce`. */
function newDecipher(algorithm: KeyType, key: Uint8Array, nonce: Uint8Array): DecipherGCM | DecipherChaCha20Poly1305 {
  return algorithm === 'AES256'
    ? createDecipheriv('aes-256-gcm', key, nonce, AEAD_OPTIONS)
    : createDecipheriv('chacha20-poly1305', key, nonce, AEAD_OPTIONS);
}

/**
 * An immutable secret key of one {@link KeyType}. Holds a private copy of the key bytes and caches the HChaCha20
 * key words on first ChaCha20 use, so encrypt/decrypt allocate only per-message state.
 */
export class SecretKey {
  /** The algorithm this key encrypts with. */
  readonly type: KeyType;
  /** The 32 key bytes (a private copy; do not modify). */
  readonly bytes: Uint8Array;
  #chachaWords: Uint32Array | undefined;

  /**
   * @param type - the key's algorithm.
   * @param bytes - exactly 32 bytes; copied.
   * @throws KesError `INVALID_KEY_SIZE` (406 `invalid key size for '<type>'`) when `bytes` is not 32 bytes long.
   */
  constructor(type: KeyType, bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== SECRET_KEY_SIZE) throw Errors.invalidKeySize(type);
    this.type = type;
    this.bytes = Uint8Array.from(bytes);
  }

  /** A fresh random key of `type` (default AES256, spec §5.1). Never throws. */
  static generate(type: KeyType = 'AES256'): SecretKey {
    return new SecretKey(type, randomBytes(SECRET_KEY_SIZE));
  }

  /**
   * Encrypts `plaintext` with fresh random IV and nonce, authenticating `associatedData` (absent and empty are the
   * same). Returns the raw ciphertext `ct ‖ tag(16) ‖ IV(16) ‖ nonce(12)` (length `plaintext.length + 44`).
   * @throws KesError `ENCRYPT_FAILED` (500) only if the crypto library fails (not expected for valid inputs).
   */
  encrypt(plaintext: Uint8Array, associatedData?: Uint8Array): Uint8Array {
    try {
      const random = takeRandom(IV_SIZE + NONCE_SIZE);
      const iv = random.subarray(0, IV_SIZE);
      const nonce = random.subarray(IV_SIZE);
      const cipher = newCipher(this.type, this.#deriveKey(this.type, iv), nonce);
      if (associatedData !== undefined && associatedData.length > 0) {
        cipher.setAAD(associatedData, { plaintextLength: plaintext.length });
      }
      const ct = cipher.update(plaintext);
      const rest = cipher.final(); // empty for AEAD stream modes; kept for correctness
      const n = ct.length + rest.length;
      const out = Buffer.allocUnsafe(n + TAG_SIZE + IV_SIZE + NONCE_SIZE);
      out.set(ct, 0);
      if (rest.length > 0) out.set(rest, ct.length);
      out.set(cipher.getAuthTag(), n);
      out.set(random, n + TAG_SIZE);
      return out;
    } catch (cause) {
      throw Errors.encryptFailed(cause);
    }
  }

  /**
   * Decrypts a ciphertext in any of the three formats (raw, msgpack, JSON; §5.3) with this key's own algorithm,
   * authenticating `associatedData` (absent and empty are the same). Returns the plaintext.
   * @throws KesError `NOT_AUTHENTIC` (400 `decryption failed: ciphertext is not authentic`) on any failure:
   *   unparsable or too short input, wrong key, wrong associated data, modified bytes.
   */
  decrypt(ciphertext: Uint8Array, associatedData?: Uint8Array): Uint8Array {
    const parsed = ciphertext instanceof Uint8Array ? parseCiphertext(ciphertext) : undefined;
    if (parsed === undefined) throw Errors.notAuthentic();
    return this.decryptParsed(parsed, this.type, associatedData);
  }

  /**
   * Opens an already parsed ciphertext with this key's bytes under `algorithm` (normally {@link SecretKey.type};
   * the §12 legacy rule passes the algorithm a legacy ciphertext names). Returns the plaintext.
   * @throws KesError `NOT_AUTHENTIC` on any failure.
   */
  decryptParsed(parsed: ParsedCiphertext, algorithm: KeyType, associatedData?: Uint8Array): Uint8Array {
    const { sealed, iv, nonce } = parsed;
    if (sealed.length < TAG_SIZE || iv.length !== IV_SIZE || nonce.length !== NONCE_SIZE) {
      throw Errors.notAuthentic();
    }
    try {
      const tagAt = sealed.length - TAG_SIZE;
      const decipher = newDecipher(algorithm, this.#deriveKey(algorithm, iv), nonce);
      decipher.setAuthTag(sealed.subarray(tagAt));
      if (associatedData !== undefined && associatedData.length > 0) {
        decipher.setAAD(associatedData, { plaintextLength: tagAt });
      }
      const opened = tagAt > 0 ? decipher.update(sealed.subarray(0, tagAt)) : EMPTY;
      const rest = decipher.final(); // throws when the tag does not verify
      return rest.length === 0 ? opened : Buffer.concat([opened, rest]);
    } catch {
      throw Errors.notAuthentic();
    }
  }

  /** The one-time AEAD key for `iv` under `algorithm`, using the cached per-key state. */
  #deriveKey(algorithm: KeyType, iv: Uint8Array): Uint8Array {
    if (algorithm === 'AES256') {
      return createHmac('sha256', this.bytes).update(iv).digest();
    }
    this.#chachaWords ??= hchachaKeyWords(this.bytes);
    return hchachaWords(this.#chachaWords, iv);
  }
}
