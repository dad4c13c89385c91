/**
 * The value KES writes to a keystore under a key's name (spec `kes-protocol.md` §5.6): base64 text of a protobuf
 * `KeyVersion` since 2024-01-12, a JSON object before. The parse rule is upstream's: valid JSON → legacy path,
 * anything else → base64 + protobuf. Legacy values are read, never rewritten.
 */
import { randomBytes } from 'node:crypto';
import { decodeBase64, encodeBase64 } from '../base64.js';
import { Errors } from '../errors.js';
import { INVALID_JSON, goBytes, goObjectFields, goString, parseGoJson } from './go-json.js';
import { keyTypeFromEnum, keyTypeToEnum, parseKeyType, type KeyType } from './key-type.js';
import { decodeKeyVersion, encodeKeyVersion } from './key-version-protobuf.js';
import { SECRET_KEY_SIZE, SecretKey } from './secret-key.js';
import { UNIX_EPOCH_TIMESTAMP, ZERO_TIMESTAMP, parseTimestamp, timestampNow, type Timestamp } from './timestamp.js';

/** A key as stored: the secret key plus its HMAC key and metadata. */
export interface StoredKey {
  /** The secret key used for encrypt/decrypt/generate. */
  readonly key: SecretKey;
  /** False only for legacy JSON keys stored without an `algorithm` (they default to AES256; see spec §12). */
  readonly algorithmExplicit: boolean;
  /** The 32-byte HMAC-SHA-256 key; `undefined` for legacy JSON keys (HMAC → 501). */
  readonly hmacKey: Uint8Array | undefined;
  /** Creation time ({@link ZERO_TIMESTAMP} when a legacy key has none). */
  readonly createdAt: Timestamp;
  /** Identity of the creator, `""` when unknown. */
  readonly createdBy: string;
  /** The storage format the key was read from (or will be written in). */
  readonly format: 'protobuf' | 'legacy-json';
}

/** Stored values larger than this are rejected without parsing (a real value is < 300 bytes). */
export const MAX_STORED_KEY_SIZE = 1 << 20;

/** SHA256, the only HMAC hash enum value (spec §5.1). */
const HASH_SHA256 = 1;
const HMAC_KEY_SIZE = 32;

/**
 * A new key in the current format with a fresh random HMAC key.
 * @param opts.type - algorithm, default AES256 (spec §5.1).
 * @param opts.keyBytes - 32 bytes to import; omitted → fresh random key.
 * @param opts.createdBy - identity of the creator (may be `""`).
 * @param opts.createdAt - creation time, default now.
 * @throws KesError `INVALID_KEY_SIZE` (406) when `keyBytes` is not 32 bytes.
 */
export function newStoredKey(opts: {
  type?: KeyType;
  keyBytes?: Uint8Array;
  createdBy: string;
  createdAt?: Timestamp;
}): StoredKey {
  const type = opts.type ?? 'AES256';
  const key = opts.keyBytes === undefined ? SecretKey.generate(type) : new SecretKey(type, opts.keyBytes);
  return Object.freeze({
    key,
    algorithmExplicit: true,
    hmacKey: new Uint8Array(randomBytes(HMAC_KEY_SIZE)),
    createdAt: opts.createdAt ?? timestampNow(),
    createdBy: opts.createdBy,
    format: 'protobuf',
  });
}

/**
 * Encodes `k` in the current storage format: the ASCII bytes of padded standard base64 of the protobuf KeyVersion.
 * The output is the same whatever `k.format` says (callers only ever store new keys).
 * @throws KesError `INVALID_STORED_KEY` when `k` has no HMAC key (legacy keys cannot be re-encoded, as upstream) or
 *   its HMAC key is not 32 bytes.
 */
export function encodeStoredKey(k: StoredKey): Uint8Array {
  if (k.hmacKey === undefined) throw Errors.invalidStoredKey('key has no HMAC key');
  if (k.hmacKey.length !== HMAC_KEY_SIZE) throw Errors.invalidStoredKey('invalid HMAC key length');
  const proto = encodeKeyVersion({
    key: k.key.bytes,
    type: keyTypeToEnum(k.key.type),
    hmacKey: k.hmacKey,
    hash: HASH_SHA256,
    createdAt: k.createdAt,
    createdBy: k.createdBy,
  });
  return Buffer.from(encodeBase64(proto), 'latin1');
}

const LEGACY_FIELDS = ['bytes', 'algorithm', 'created_at', 'created_by'] as const;

/** The legacy JSON path. Returns the key, or an error detail string. */
function decodeLegacyJson(fields: Record<(typeof LEGACY_FIELDS)[number], unknown>): StoredKey | string {
  const bytes = goBytes(fields.bytes);
  const algorithm = goString(fields.algorithm);
  const createdBy = goString(fields.created_by);
  if (bytes === undefined || algorithm === undefined || createdBy === undefined) return 'invalid JSON field type';
  const type = algorithm === '' ? 'AES256' : parseKeyType(algorithm);
  if (type === undefined) return `unsupported algorithm '${algorithm}'`;
  if (bytes.length !== SECRET_KEY_SIZE) return 'invalid secret key length';
  let createdAt = ZERO_TIMESTAMP;
  if (fields.created_at !== null) {
    const parsed = typeof fields.created_at === 'string' ? parseTimestamp(fields.created_at) : undefined;
    if (parsed === undefined) return 'invalid created_at';
    createdAt = parsed;
  }
  return Object.freeze({
    key: new SecretKey(type, bytes),
    algorithmExplicit: algorithm !== '',
    hmacKey: undefined,
    createdAt,
    createdBy,
    format: 'legacy-json',
  });
}

/** The current path: base64 (CR/LF ignored, as Go's decoder does) of a protobuf KeyVersion. */
function decodeProtobuf(bytes: Uint8Array): StoredKey | string {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (text.includes('\n') || text.includes('\r')) text = text.replace(/[\r\n]/g, '');
  let proto: Uint8Array;
  try {
    proto = decodeBase64(text);
  } catch {
    return 'illegal base64 data';
  }
  let fields;
  try {
    fields = decodeKeyVersion(proto);
  } catch {
    return 'malformed protobuf';
  }
  const type = keyTypeFromEnum(fields.type);
  if (fields.key.length !== SECRET_KEY_SIZE) return 'invalid secret key length';
  if (type === undefined) return 'invalid secret key type';
  if (fields.hmacKey.length !== HMAC_KEY_SIZE) return 'invalid HMAC key length';
  if (fields.hash !== HASH_SHA256) return 'invalid HMAC key hash';
  return Object.freeze({
    key: new SecretKey(type, fields.key),
    algorithmExplicit: true,
    hmacKey: Uint8Array.from(fields.hmacKey),
    createdAt: fields.createdAt ?? UNIX_EPOCH_TIMESTAMP,
    createdBy: fields.createdBy,
    format: 'protobuf',
  });
}

/**
 * Decodes a stored value: legacy JSON when the bytes are valid JSON, else base64 + protobuf KeyVersion.
 * Returns a frozen {@link StoredKey}; key bytes are copied (the input may be reused).
 * @throws KesError `INVALID_STORED_KEY` (502) for anything else: oversized (> {@link MAX_STORED_KEY_SIZE}), JSON that
 *   is not a valid key object, invalid base64, malformed protobuf, key length ≠ 32, unknown key type, missing or
 *   malformed HMAC key. Never throws anything else.
 */
export function decodeStoredKey(bytes: Uint8Array): StoredKey {
  if (!(bytes instanceof Uint8Array)) throw Errors.invalidStoredKey('not a byte array');
  if (bytes.length > MAX_STORED_KEY_SIZE) throw Errors.invalidStoredKey('value too large');
  let result: StoredKey | string;
  try {
    const json = parseGoJson(bytes);
    if (json === INVALID_JSON) {
      result = decodeProtobuf(bytes);
    } else {
      const fields = goObjectFields(json, LEGACY_FIELDS);
      result = fields === undefined ? 'not a JSON object' : decodeLegacyJson(fields);
    }
  } catch {
    result = 'malformed value';
  }
  if (typeof result === 'string') throw Errors.invalidStoredKey(result);
  return result;
}

