/**
 * The key id legacy ciphertexts carry (JSON `id`, 2nd msgpack element; spec `kes-protocol.md` §5.6).
 */
import { createHash } from 'node:crypto';

/**
 * Lowercase hex of the first 16 bytes of SHA-256(`keyBytes`), e.g. `66687aadf862bd776c8fc18b8e9f8e20` for the
 * all-zero 32-byte key. Never throws.
 */
export function legacyKeyId(keyBytes: Uint8Array): string {
  return createHash('sha256').update(keyBytes).digest().subarray(0, 16).toString('hex');
}
