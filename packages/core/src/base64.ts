/**
 * Strict standard base64 (RFC 4648 §4 alphabet, `=` padding required), the encoding Go's `encoding/json` uses for
 * `[]byte` and KES uses for stored keys (spec `kes-protocol.md` §1.4, §5.6).
 *
 * Node's `Buffer.from(s, 'base64')` is lenient (URL-safe alphabet, missing padding, whitespace and junk are
 * accepted or skipped); {@link decodeBase64} validates first so that exactly the texts Go accepts decode.
 */
import { Errors } from './errors.js';

/** 1 for every byte of the standard alphabet `A–Z a–z 0–9 + /`, 0 otherwise. */
const ALPHABET = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;

const PAD = 0x3d; // '='

/**
 * Encodes `bytes` as standard base64 with padding. Never throws.
 */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * True iff `text` is well-formed standard base64 with padding: length a multiple of 4, only alphabet characters,
 * and at most two trailing `=`. The empty string is valid. Like Go's `StdEncoding` (non-`Strict`), the unused low
 * bits of the last character are not required to be zero. Never throws.
 */
export function isValidBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  if (n === 0) return true;
  let end = n;
  if (text.charCodeAt(n - 1) === PAD) end = text.charCodeAt(n - 2) === PAD ? n - 2 : n - 1;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff || ALPHABET[c] === 0) return false;
  }
  return true;
}

/**
 * Decodes strict standard base64 with padding (Go's `base64.StdEncoding`, minus its tolerance for CR/LF).
 * Returns the decoded bytes (a new `Buffer`, possibly a view into Node's buffer pool; `""` → empty).
 * @throws KesError `INVALID_BASE64` (400 `illegal base64 data`) when the text is unpadded, uses the URL-safe
 *   alphabet, contains whitespace or any other character outside the alphabet, or has misplaced padding.
 */
export function decodeBase64(text: string): Uint8Array {
  if (typeof text !== 'string' || !isValidBase64(text)) throw Errors.invalidBase64();
  return Buffer.from(text, 'base64');
}
