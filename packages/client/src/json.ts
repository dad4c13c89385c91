/**
 * Strict readers for JSON answers. Like Go's decoder, object keys match case-insensitively (an exact match wins) and
 * unknown keys are ignored; a value of the wrong type, invalid base64 or unparsable JSON is an `INVALID_RESPONSE`.
 */
import { decodeBase64 } from '@kes/core';
import { KesClientError } from './errors.js';

/** A JSON object read from an answer. */
export type JsonObject = Record<string, unknown>;

/** Context for error messages: which answer is being decoded. */
export interface Where {
  what: string;
  endpoint?: string;
}

/** Builds the `INVALID_RESPONSE` error for a malformed answer. Never throws. */
export function invalid(where: Where, detail: string): KesClientError {
  return new KesClientError('INVALID_RESPONSE', 200, `invalid ${where.what} response from the server: ${detail}`, {
    endpoint: where.endpoint,
  });
}

/** Parses a UTF-8 JSON body. @throws KesClientError `INVALID_RESPONSE` when it is not JSON. */
export function parseJson(body: Uint8Array, where: Where): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    throw invalid(where, 'not JSON');
  }
}

/** Returns `v` as an object. @throws KesClientError `INVALID_RESPONSE` otherwise. */
export function asObject(v: unknown, where: Where): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(where, 'expected a JSON object');
  return v as JsonObject;
}

/** Returns `v` as an array. @throws KesClientError `INVALID_RESPONSE` otherwise. */
export function asArray(v: unknown, where: Where): unknown[] {
  if (!Array.isArray(v)) throw invalid(where, 'expected a JSON array');
  return v;
}

/** The value of `key` in `o`: exact key first, else the last case-insensitive match (Go semantics). Never throws. */
export function field(o: JsonObject, key: string): unknown {
  if (Object.hasOwn(o, key)) return o[key];
  const lower = key.toLowerCase();
  let found: unknown;
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) found = o[k];
  return found;
}

/** A string field; `null`/absent → `fallback` (default ""). @throws KesClientError `INVALID_RESPONSE` on other types. */
export function str(o: JsonObject, key: string, where: Where, fallback = ''): string {
  const v = field(o, key);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw invalid(where, `'${key}' is not a string`);
  return v;
}

/** A string field that must be present and non-empty. @throws KesClientError `INVALID_RESPONSE` otherwise. */
export function requiredStr(o: JsonObject, key: string, where: Where): string {
  const v = str(o, key, where);
  if (v === '') throw invalid(where, `'${key}' is missing`);
  return v;
}

/** An optional string field: absent, null or "" → undefined. @throws KesClientError `INVALID_RESPONSE` on other types. */
export function optStr(o: JsonObject, key: string, where: Where): string | undefined {
  const v = str(o, key, where);
  return v === '' ? undefined : v;
}

/** A finite number field; absent/null → `fallback` (default 0). @throws KesClientError `INVALID_RESPONSE` otherwise. */
export function num(o: JsonObject, key: string, where: Where, fallback = 0): number {
  const v = field(o, key);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(where, `'${key}' is not a number`);
  return v;
}

/** A boolean field; absent/null → false. @throws KesClientError `INVALID_RESPONSE` otherwise. */
export function bool(o: JsonObject, key: string, where: Where): boolean {
  const v = field(o, key);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw invalid(where, `'${key}' is not a boolean`);
  return v;
}

/** A base64 (standard, padded) field; absent/null → empty. @throws KesClientError `INVALID_RESPONSE` otherwise. */
export function bytes(o: JsonObject, key: string, where: Where): Uint8Array {
  const v = str(o, key, where);
  try {
    return decodeBase64(v);
  } catch {
    throw invalid(where, `'${key}' is not valid base64`);
  }
}

/**
 * A set of policy patterns: the map form `{"pattern":{}}` (current servers) or an array of strings (v0.22). Absent or
 * null → []. Sorted for the map form (Go map order is random), input order for arrays.
 * @throws KesClientError `INVALID_RESPONSE` on any other shape.
 */
export function patterns(o: JsonObject, key: string, where: Where): string[] {
  const v = field(o, key);
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) {
    if (!v.every((p) => typeof p === 'string')) throw invalid(where, `'${key}' is not a list of patterns`);
    return v as string[];
  }
  if (typeof v === 'object') return Object.keys(v).sort();
  throw invalid(where, `'${key}' is not a set of patterns`);
}
