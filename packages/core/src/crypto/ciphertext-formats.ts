/**
 * Ciphertext format detection (spec `kes-protocol.md` §5.3): the current raw binary form `ct‖tag‖iv(16)‖nonce(12)`,
 * the msgpack 5-array written 2022-04-04 … 2024-01-12 (first byte 0x95) and the JSON object written before
 * 2022-04-04 (first byte `{`). A legacy parse that fails falls back to the raw form, because a raw ciphertext starts
 * with either byte with probability 1/128.
 */
import { goBytes, goObjectFields, goString, parseGoJson } from './go-json.js';
import type { KeyType } from './key-type.js';
import { parseKeyType } from './key-type.js';

/** Byte lengths of the per-message IV and nonce, and the AEAD tag. */
export const IV_SIZE = 16;
export const NONCE_SIZE = 12;
export const TAG_SIZE = 16;

/** A ciphertext split into its parts. All arrays are views into the caller's bytes where possible (no copies). */
export interface ParsedCiphertext {
  /** AEAD output: ciphertext ‖ 16-byte tag. */
  readonly sealed: Uint8Array;
  /** The 16-byte key-derivation input. */
  readonly iv: Uint8Array;
  /** The 12-byte AEAD nonce. */
  readonly nonce: Uint8Array;
  /** Which encoding the bytes were in. */
  readonly format: 'raw' | 'msgpack' | 'json';
  /** The algorithm a legacy (msgpack/JSON) ciphertext names; `undefined` for raw ciphertexts. */
  readonly legacyAlgorithm: KeyType | undefined;
}

/** The two `aead` names a legacy JSON ciphertext may carry (the insecure pre-2020 `AES-256-GCM` is rejected). */
const JSON_AEAD: ReadonlyMap<string, KeyType> = new Map<string, KeyType>([
  ['AES-256-GCM-HMAC-SHA-256', 'AES256'],
  ['ChaCha20Poly1305', 'ChaCha20'],
]);

const JSON_FIELDS = ['aead', 'id', 'iv', 'nonce', 'bytes'] as const;
/** Decodes algorithm names; every accepted name is ASCII, so any non-ASCII byte simply fails to match. */
const ascii = new TextDecoder('latin1');
const MAX_NAME_LENGTH = 32;

/** The raw binary form; `undefined` unless longer than IV + nonce (28 bytes). */
function parseRaw(bytes: Uint8Array): ParsedCiphertext | undefined {
  const n = bytes.length;
  if (n <= IV_SIZE + NONCE_SIZE) return undefined;
  const ivAt = n - IV_SIZE - NONCE_SIZE;
  return {
    sealed: bytes.subarray(0, ivAt),
    iv: bytes.subarray(ivAt, ivAt + IV_SIZE),
    nonce: bytes.subarray(ivAt + IV_SIZE),
    format: 'raw',
    legacyAlgorithm: undefined,
  };
}

/**
 * A bounded reader for the one msgpack shape legacy ciphertexts have. A general decoder would follow arbitrarily
 * deep nesting inside a hostile 1 MB body; this reads exactly five headers, like upstream's msgp calls did.
 */
class MsgpackReader {
  readonly bytes: Uint8Array;
  pos: number;

  constructor(bytes: Uint8Array, pos: number) {
    this.bytes = bytes;
    this.pos = pos;
  }

  /** Reads a big-endian unsigned length of `size` bytes; `undefined` past the end. */
  #length(size: 1 | 2 | 4): number | undefined {
    if (this.pos + size > this.bytes.length) return undefined;
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + this.bytes[this.pos++]!;
    return n;
  }

  /** `n` payload bytes as a view; `undefined` past the end. */
  #payload(n: number | undefined): Uint8Array | undefined {
    if (n === undefined || this.pos + n > this.bytes.length) return undefined;
    this.pos += n;
    return this.bytes.subarray(this.pos - n, this.pos);
  }

  /** A str (fixstr, str8, str16, str32) payload; `undefined` for any other type. */
  str(): Uint8Array | undefined {
    const head = this.bytes[this.pos++];
    if (head === undefined) return undefined;
    if (head >= 0xa0 && head <= 0xbf) return this.#payload(head & 0x1f);
    if (head === 0xd9) return this.#payload(this.#length(1));
    if (head === 0xda) return this.#payload(this.#length(2));
    if (head === 0xdb) return this.#payload(this.#length(4));
    return undefined;
  }

  /** A bin (bin8, bin16, bin32) payload; `undefined` for any other type. */
  bin(): Uint8Array | undefined {
    const head = this.bytes[this.pos++];
    if (head === 0xc4) return this.#payload(this.#length(1));
    if (head === 0xc5) return this.#payload(this.#length(2));
    if (head === 0xc6) return this.#payload(this.#length(4));
    return undefined;
  }
}

/**
 * The msgpack 5-array `[str algorithm, str keyId, bin iv(16), bin nonce(12), bin sealed]` with no trailing bytes.
 * Strings are compared as bytes (upstream did not validate UTF-8); the algorithm must be one of the four names.
 */
function parseMsgpack(bytes: Uint8Array): ParsedCiphertext | undefined {
  if (bytes[0] !== 0x95) return undefined;
  const r = new MsgpackReader(bytes, 1);
  const algorithm = r.str();
  const keyId = r.str();
  const iv = r.bin();
  const nonce = r.bin();
  const sealed = r.bin();
  if (algorithm === undefined || keyId === undefined || iv?.length !== IV_SIZE || nonce?.length !== NONCE_SIZE) {
    return undefined;
  }
  if (sealed === undefined || r.pos !== bytes.length) return undefined;
  const legacyAlgorithm = algorithm.length <= MAX_NAME_LENGTH ? parseKeyType(ascii.decode(algorithm)) : undefined;
  if (legacyAlgorithm === undefined) return undefined;
  return { sealed, iv, nonce, format: 'msgpack', legacyAlgorithm };
}

/** The JSON object `{"aead","id"?,"iv","nonce","bytes"}` (keys case-insensitive, unknown keys ignored). */
function parseJson(bytes: Uint8Array): ParsedCiphertext | undefined {
  const fields = goObjectFields(parseGoJson(bytes), JSON_FIELDS);
  if (fields === undefined) return undefined;
  const aead = goString(fields.aead);
  const id = goString(fields.id);
  const iv = goBytes(fields.iv);
  const nonce = goBytes(fields.nonce);
  const sealed = goBytes(fields.bytes);
  if (aead === undefined || id === undefined || iv === undefined || nonce === undefined || sealed === undefined) {
    return undefined;
  }
  const legacyAlgorithm = JSON_AEAD.get(aead);
  if (legacyAlgorithm === undefined || iv.length !== IV_SIZE || nonce.length !== NONCE_SIZE) return undefined;
  return { sealed, iv, nonce, format: 'json', legacyAlgorithm };
}

/**
 * Splits `bytes` into AEAD output, IV and nonce, detecting the format by the first byte (0x95 → msgpack, `{` → JSON)
 * and falling back to the raw form when the legacy parse fails. The algorithm/key id of legacy formats are validated
 * (algorithm must be a known name; key id must be a string) but not otherwise used here.
 * Returns `undefined` when the bytes are in no valid format (raw form needs more than 28 bytes). Never throws.
 */
export function parseCiphertext(bytes: Uint8Array): ParsedCiphertext | undefined {
  const first = bytes[0];
  if (first === 0x95) return parseMsgpack(bytes) ?? parseRaw(bytes);
  if (first === 0x7b) return parseJson(bytes) ?? parseRaw(bytes);
  return parseRaw(bytes);
}
