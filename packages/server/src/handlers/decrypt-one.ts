/** The decryption step shared by decrypt and bulk decrypt, with its error mapping (spec §5.3). */
import { Errors, decryptWithKey, isKesError, type StoredKey } from '@kes/core';

/**
 * Decrypts one ciphertext (any of the three formats) with `context` as associated data.
 * @throws KesError `NOT_AUTHENTIC` (400 `decryption failed: ciphertext is not authentic`) for any malformed or
 *   unauthentic ciphertext; a 5xx catalog error from the crypto layer unchanged; `DECRYPT_FAILED` (500) otherwise.
 */
export function decryptOne(key: StoredKey, ciphertext: Uint8Array, context: Uint8Array | undefined): Uint8Array {
  try {
    return decryptWithKey(key, ciphertext, context);
  } catch (err) {
    if (isKesError(err, 'NOT_AUTHENTIC') || isKesError(err, 'INVALID_CIPHERTEXT')) throw Errors.notAuthentic();
    if (isKesError(err) && err.status >= 500) throw err;
    throw Errors.decryptFailed(err);
  }
}
