/**
 * Conformance of the crypto envelope and the stored-key codec against the upstream vectors (`kes-vectors.json`
 * sections `decrypt`, `encrypt_roundtrip`, `stored_key_parse`, `stored_key_encode`, `hmac`, `hchacha20_reference`,
 * `key_id_legacy`, `key_algorithm_names`).
 * Run by hand only (the project's own tests never read ../shared):
 *   npx tsx tools/conformance/crypto.ts [path/to/kes-vectors.json]
 */
import {
  SecretKey,
  ZERO_TIMESTAMP,
  decodeBase64,
  decodeStoredKey,
  decryptWithKey,
  encodeBase64,
  encodeStoredKey,
  encryptWithKey,
  formatTimestamp,
  hchacha20,
  hmacWithKey,
  isKesError,
  legacyKeyId,
  newStoredKey,
  parseCiphertext,
  parseKeyType,
  type KeyType,
  type StoredKey,
} from '../../packages/core/src/index.js';
import { runIfMain } from './report.js';
import { Tally, type CheckResult } from './tally.js';

const b64 = (text: string | null | undefined): Uint8Array => decodeBase64(text ?? '');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
const LEGACY_AEAD: Record<string, KeyType> = { 'AES-256-GCM-HMAC-SHA-256': 'AES256', ChaCha20Poly1305: 'ChaCha20' };

/** A current-format stored key holding `keyBytes` of `type` (what an import creates). */
function importedKey(type: KeyType, keyBytes: Uint8Array): StoredKey {
  return newStoredKey({ type, keyBytes, createdBy: '' });
}

/** `undefined` when `fn` throws the `NOT_AUTHENTIC` error, else a description of what happened. */
function expectNotAuthentic(fn: () => unknown): string | undefined {
  try {
    fn();
    return 'decrypted, expected NOT_AUTHENTIC';
  } catch (err) {
    return isKesError(err, 'NOT_AUTHENTIC') ? undefined : `threw ${String(err)}`;
  }
}

function checkDecryptVector(v: any): string | undefined {
  const type = parseKeyType(v.key_type);
  if (type === undefined) return `unknown key type ${v.key_type}`;
  const key = b64(v.key_b64);
  const ct = b64(v.ciphertext_b64);
  const ad = b64(v.associated_data_b64);
  const stored = importedKey(type, key);
  if (v.should_fail) {
    return (
      expectNotAuthentic(() => new SecretKey(type, key).decrypt(ct, ad)) ??
      expectNotAuthentic(() => decryptWithKey(stored, ct, ad))
    );
  }
  const want = b64(v.plaintext_b64);
  const viaKey = new SecretKey(type, key).decrypt(ct, ad);
  const viaStored = decryptWithKey(stored, ct, ad);
  const viaEmptyCtx = ad.length === 0 ? decryptWithKey(stored, ct) : want;
  if (!same(viaKey, want) || !same(viaStored, want) || !same(viaEmptyCtx, want)) return 'wrong plaintext';
  const parsed = parseCiphertext(ct);
  const format = { 'json-text': 'json', msgpack: 'msgpack', binary: 'raw' }[v.ciphertext_format as string];
  if (parsed === undefined || parsed.format !== format) return `detected format ${parsed?.format}, expected ${format}`;
  if (v.legacy_header) {
    const alg = LEGACY_AEAD[v.legacy_header.algorithm_field] ?? parseKeyType(v.legacy_header.algorithm_field);
    if (parsed.legacyAlgorithm !== alg) return `legacy algorithm ${parsed.legacyAlgorithm}, expected ${alg}`;
    const id = v.legacy_header.key_id_field;
    if (id !== null && id !== legacyKeyId(key)) return `key id ${legacyKeyId(key)} ≠ ${id}`;
  }
  // §12: a legacy JSON key without `algorithm` (AES256) opens legacy ciphertexts with the algorithm they name;
  // raw ciphertexts keep the key's own AES256.
  const legacy = decodeStoredKey(new TextEncoder().encode(JSON.stringify({ bytes: v.key_b64 })));
  if (parsed.format !== 'raw' || type === 'AES256') {
    if (!same(decryptWithKey(legacy, ct, ad), want)) return 'legacy key without algorithm: wrong plaintext';
  } else if (expectNotAuthentic(() => decryptWithKey(legacy, ct, ad)) !== undefined) {
    return 'legacy AES256 key opened a raw ChaCha20 ciphertext';
  }
  return undefined;
}

function checkRoundTrip(v: any): string | undefined {
  const type = parseKeyType(v.key_type)!;
  const key = new SecretKey(type, b64(v.key_b64));
  const stored = importedKey(type, key.bytes);
  const pt = b64(v.plaintext_b64);
  const ad = b64(v.associated_data_b64);
  const c1 = key.encrypt(pt, ad);
  const c2 = encryptWithKey(stored, pt, ad.length > 0 ? ad : undefined);
  if (c1.length !== pt.length + 44 || c2.length !== pt.length + 44) return 'wrong ciphertext length';
  if (same(c1, c2)) return 'two encryptions are equal';
  if (!same(key.decrypt(c2, ad), pt) || !same(decryptWithKey(stored, c1, ad), pt)) return 'round trip failed';
  return undefined;
}

function checkParsedKey(v: any): string | undefined {
  const raw = new TextEncoder().encode(v.raw);
  if (v.should_fail) {
    try {
      decodeStoredKey(raw);
      return 'decoded, expected INVALID_STORED_KEY';
    } catch (err) {
      return isKesError(err, 'INVALID_STORED_KEY') ? undefined : `threw ${String(err)}`;
    }
  }
  const k = decodeStoredKey(raw);
  const e = v.expect;
  const problems: string[] = [];
  if (k.key.type !== e.key_type) problems.push(`type ${k.key.type}`);
  if (encodeBase64(k.key.bytes) !== e.key_b64) problems.push('key bytes');
  if ((k.hmacKey !== undefined) !== e.has_hmac_key) problems.push('has_hmac_key');
  if (k.hmacKey !== undefined && encodeBase64(k.hmacKey) !== e.hmac_key_b64) problems.push('hmac key');
  if (formatTimestamp(k.createdAt) !== e.created_at_utc) problems.push(`created_at ${formatTimestamp(k.createdAt)}`);
  if (e.created_at === null && k.createdAt !== ZERO_TIMESTAMP) problems.push('created_at not zero');
  const pbTime = e.protobuf_timestamp;
  if (pbTime && (k.createdAt.seconds !== BigInt(pbTime.seconds) || k.createdAt.nanos !== pbTime.nanos)) {
    problems.push('protobuf timestamp');
  }
  if (k.createdBy !== e.created_by) problems.push('created_by');
  const format = v.format === 'protobuf-base64' ? 'protobuf' : v.format;
  if (k.format !== format) problems.push(`format ${k.format}`);
  if (k.format === 'protobuf' && new TextDecoder().decode(encodeStoredKey(k)) !== v.raw) {
    problems.push('re-encoding differs');
  }
  return problems.length > 0 ? problems.join(', ') : undefined;
}

function checkEncodedKey(v: any): string | undefined {
  const i = v.input;
  const k: StoredKey = {
    key: new SecretKey(parseKeyType(i.key_type)!, b64(i.key_b64)),
    algorithmExplicit: true,
    hmacKey: b64(i.hmac_key_b64),
    createdAt: { seconds: BigInt(i.protobuf_timestamp.seconds), nanos: i.protobuf_timestamp.nanos },
    createdBy: i.created_by,
    format: 'protobuf',
  };
  if (formatTimestamp(k.createdAt) !== i.created_at_utc) return `timestamp renders as ${formatTimestamp(k.createdAt)}`;
  const text = new TextDecoder().decode(encodeStoredKey(k));
  if (text !== v.stored) return `encoded ${text}`;
  const back = decodeStoredKey(new TextEncoder().encode(v.stored));
  const sameKey = back.key.type === k.key.type && same(back.key.bytes, k.key.bytes);
  if (!sameKey || !same(back.hmacKey!, k.hmacKey!)) return 'decode differs';
  return undefined;
}

/** Runs every crypto-area vector; never throws (a throwing check counts as a failure). */
export function checkCrypto(vectors: any): CheckResult {
  const result = new Tally();
  for (const v of vectors.decrypt?.vectors ?? []) result.check(`decrypt ${v.name}`, () => checkDecryptVector(v));
  const each = (section: string, fn: (v: any) => string | undefined): void =>
    (vectors[section]?.vectors ?? []).forEach((v: any, i: number) => result.check(`${section}[${i}]`, () => fn(v)));
  each('encrypt_roundtrip', checkRoundTrip);
  each('stored_key_parse', checkParsedKey);
  each('stored_key_encode', checkEncodedKey);
  const hmac = vectors.hmac;
  (hmac?.vectors ?? []).forEach((v: any, i: number) =>
    result.check(`hmac[${i}]`, () => {
      const k = decodeStoredKey(new TextEncoder().encode(hmac.stored_key));
      if (encodeBase64(k.hmacKey!) !== hmac.hmac_key_b64) return 'hmac key differs';
      const mac = encodeBase64(hmacWithKey(k, b64(v.message_b64)));
      return mac === v.hmac_b64 ? undefined : `got ${mac}`;
    }),
  );
  const hc = vectors.hchacha20_reference;
  if (hc) {
    result.check('hchacha20_reference', () => {
      const out = hex(hchacha20(Buffer.from(hc.key_hex, 'hex'), Buffer.from(hc.nonce16_hex, 'hex')));
      return out === hc.subkey_hex ? undefined : `got ${out}`;
    });
  }
  const kid = vectors.key_id_legacy;
  if (kid) {
    result.check('key_id_legacy', () => {
      const id = legacyKeyId(b64(kid.key_b64));
      return id === kid.key_id ? undefined : `got ${id}`;
    });
  }
  (vectors.key_algorithm_names?.vectors ?? []).forEach((v: any) =>
    result.check(`key_algorithm_names '${v.text}'`, () => {
      const got = parseKeyType(v.text) ?? null;
      return got === (v.should_fail ? null : v.result) ? undefined : `got ${got}`;
    }),
  );
  return result;
}

await runIfMain(import.meta.url, 'crypto', checkCrypto);
