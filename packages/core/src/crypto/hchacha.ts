/**
 * HChaCha20 (draft-irtf-cfrg-xchacha §2.2), the per-message key derivation of ChaCha20 keys (spec §5.2).
 * node:crypto has no HChaCha20, so the permutation comes from `@noble/ciphers`.
 */
import { hchacha } from '@noble/ciphers/chacha.js';

/** The constant "expand 32-byte k" (RFC 8439 §2.3) as the in-memory word image `@noble/ciphers` expects. */
const SIGMA = new Uint32Array(4);

/**
 * Copies `out.byteLength` bytes of `bytes` from `offset` into the memory of `out`: the in-memory word image of
 * little-endian words that `@noble/ciphers` expects (it byte-swaps on big-endian hosts itself).
 */
function loadWords(bytes: Uint8Array, offset: number, out: Uint32Array): void {
  const image = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  image.set(bytes.subarray(offset, offset + out.byteLength));
}
loadWords(new TextEncoder().encode('expand 32-byte k'), 0, SIGMA);

/**
 * The 32-byte key of a secret key as the word array {@link hchachaWords} consumes. Compute once per key and reuse.
 * @throws RangeError when `key` is not 32 bytes (callers validate first).
 */
export function hchachaKeyWords(key: Uint8Array): Uint32Array {
  if (key.length !== 32) throw new RangeError('HChaCha20 key must be 32 bytes');
  const words = new Uint32Array(8);
  loadWords(key, 0, words);
  return words;
}

/**
 * HChaCha20(key, input) for a key prepared with {@link hchachaKeyWords}: reads 16 input bytes at `input[offset…]`
 * and returns the 32-byte subkey (a fresh array). Never throws for a 32-byte key and ≥ 16 readable input bytes.
 */
export function hchachaWords(keyWords: Uint32Array, input: Uint8Array, offset = 0): Uint8Array {
  const nonce = new Uint32Array(4);
  loadWords(input, offset, nonce);
  const out = new Uint32Array(8);
  hchacha(SIGMA, keyWords, nonce, out);
  return new Uint8Array(out.buffer);
}

/**
 * HChaCha20 of a 32-byte `key` and a 16-byte `input` (nonce prefix): returns the 32-byte subkey.
 * @throws RangeError when `key` is not 32 bytes or `input` is not 16 bytes.
 */
export function hchacha20(key: Uint8Array, input: Uint8Array): Uint8Array {
  if (input.length !== 16) throw new RangeError('HChaCha20 input must be 16 bytes');
  return hchachaWords(hchachaKeyWords(key), input);
}
