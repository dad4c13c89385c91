/**
 * Helpers that reproduce how Go's `encoding/json` fills a struct, for the legacy JSON formats KES reads
 * (ciphertexts before 2022-04-04, stored keys before 2024-01-12): keys match field names case-insensitively,
 * unknown keys are ignored, `null` leaves a field at its zero value, a value of the wrong JSON type is an error.
 */
import { decodeBase64 } from '../base64.js';

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Go's JSON scanner rejects documents nested deeper than this (and so bounds the work a hostile input causes). */
const MAX_DEPTH = 10_000;

/** True iff arrays/objects in `bytes` nest deeper than {@link MAX_DEPTH} (strings are skipped). Never throws. */
function exceedsMaxDepth(bytes: Uint8Array): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const b of bytes) {
    if (inString) {
      if (escaped) escaped = false;
      else if (b === 0x5c) escaped = true;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) {
      inString = true;
    } else if (b === 0x5b || b === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (b === 0x5d || b === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Marker returned by {@link parseGoJson} for bytes that are not a valid JSON text. */
export const INVALID_JSON: unique symbol = Symbol('invalid JSON');

/**
 * Parses `bytes` as one JSON text of any type (Go's `json.Valid` + `json.Unmarshal`). Invalid UTF-8 is replaced by
 * U+FFFD (as Go does); a byte-order mark or nesting deeper than 10 000 makes the text invalid (as in Go).
 * Returns the value or {@link INVALID_JSON}. Never throws.
 */
export function parseGoJson(bytes: Uint8Array): unknown {
  if (bytes.length > MAX_DEPTH && exceedsMaxDepth(bytes)) return INVALID_JSON;
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return INVALID_JSON;
  }
}

/**
 * The fields named in `names` of a parsed JSON value, matched like Go fills a struct (case-insensitively, last
 * occurrence wins; absent → `null`). Returns `undefined` when `value` is not a JSON object. Never throws.
 */
export function goObjectFields<N extends string>(value: unknown, names: readonly N[]): Record<N, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields = Object.create(null) as Record<string, unknown>;
  for (const name of names) fields[name] = null;
  for (const [key, v] of Object.entries(value)) {
    const folded = foldKey(key);
    if (folded in fields) fields[folded] = v;
  }
  return fields as Record<N, unknown>;
}

/** Go's case-insensitive field matching for ASCII field names (simple Unicode folding: ſ → s, K (Kelvin) → k). */
function foldKey(key: string): string {
  return key.replace(/[A-Z\u017f\u212a]/g, (c) => (c === '\u017f' ? 's' : c === '\u212a' ? 'k' : c.toLowerCase()));
}

/** A Go `string` field: a JSON string, or `null` → `""`; any other JSON type → `undefined` (a Go type error). */
export function goString(value: unknown): string | undefined {
  return value === null ? '' : typeof value === 'string' ? value : undefined;
}

/**
 * A Go `[]byte` field: a strict standard base64 JSON string, or `null` → empty; anything else → `undefined`.
 * Never throws.
 */
export function goBytes(value: unknown): Uint8Array | undefined {
  if (value === null) return new Uint8Array(0);
  if (typeof value !== 'string') return undefined;
  try {
    return decodeBase64(value);
  } catch {
    return undefined;
  }
}
