/**
 * The cryptographic operations of the KES API on a {@link StoredKey} (spec `kes-protocol.md` §5.2–§5.5, §12).
 */
import { createHmac } from 'node:crypto';
import { Errors } from '../errors.js';
import { parseCiphertext } from './ciphertext-formats.js';
import { takeRandom } from './random-pool.js';
import type { StoredKey } from './stored-key.js';

/** Length of a generated data key (DEK). */
export const DATA_KEY_SIZE = 32;

/**
 * Encrypts `plaintext` with the key, authenticating `context` (absent and empty are the same; spec §5.2).
 * Returns the raw ciphertext (`plaintext.length + 44` bytes).
 * @throws KesError `ENCRYPT_FAILED` (500) only if the crypto library fails.
 */
export function encryptWithKey(k: StoredKey, plaintext: Uint8Array, context?: Uint8Array): Uint8Array {
  return k.key.encrypt(plaintext, context);
}

/**
 * Decrypts a raw, msgpack or JSON ciphertext (spec §5.3) with the key, authenticating `context`.
 * The stored key's type decides the algorithm, except (spec §12) for a legacy JSON key stored without an
 * `algorithm`: a legacy-format ciphertext naming ChaCha20 is then opened with ChaCha20 and the same key bytes.
 * Returns the plaintext.
 * @throws KesError `NOT_AUTHENTIC` (400 `decryption failed: ciphertext is not authentic`) on every failure.
 */
export function decryptWithKey(k: StoredKey, ciphertext: Uint8Array, context?: Uint8Array): Uint8Array {
  const parsed = ciphertext instanceof Uint8Array ? parseCiphertext(ciphertext) : undefined;
  if (parsed === undefined) throw Errors.notAuthentic();
  const algorithm =
    !k.algorithmExplicit && parsed.legacyAlgorithm !== undefined ? parsed.legacyAlgorithm : k.key.type;
  return k.key.decryptParsed(parsed, algorithm, context);
}

/**
 * HMAC-SHA-256 of `message` under the key's HMAC key (spec §5.5). Returns the 32-byte MAC.
 * @throws KesError `HMAC_NOT_SUPPORTED` (501) when the key has no HMAC key (legacy JSON keys).
 */
export function hmacWithKey(k: StoredKey, message: Uint8Array): Uint8Array {
  if (k.hmacKey === undefined) throw Errors.hmacNotSupported();
  return createHmac('sha256', k.hmacKey).update(message).digest();
}

/**
 * A fresh data key (spec §5.4): 32 random bytes and their encryption under the key with `context`.
 * The plaintext is a private buffer (not shared with any pool).
 * @throws KesError `ENCRYPT_FAILED` (500) only if the crypto library fails.
 */
export function generateDataKey(
  k: StoredKey,
  context?: Uint8Array,
): { plaintext: Uint8Array; ciphertext: Uint8Array } {
  const pooled = takeRandom(DATA_KEY_SIZE);
  const plaintext = Uint8Array.from(pooled);
  pooled.fill(0);
  return { plaintext, ciphertext: k.key.encrypt(plaintext, context) };
}
