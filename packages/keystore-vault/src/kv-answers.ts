import type { KvVersion } from './config.js';
import { VaultRequestError } from './vault-request-error.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The secret data of a 200 answer to a K/V read: `data` (v1) or `data.data` (v2).
 * @returns the data object, or `null` when a v2 answer carries `data.data: null` (the version is deleted).
 * @throws Error when the answer does not have the shape of a K/V read.
 */
export function secretData(version: KvVersion, body: unknown): Obj | null {
  const data = isObj(body) ? body['data'] : undefined;
  if (version === 'v1') {
    if (isObj(data)) return data;
    throw new Error('vault: invalid K/V v1 answer: no data object');
  }
  if (isObj(data) && isObj(data['data'])) return data['data'];
  if (isObj(data) && data['data'] === null) return null;
  throw new Error('vault: invalid K/V v2 answer: no data.data object (is the mount K/V v1? then set version: v1)');
}

/**
 * The value of key `name` in a 200 read answer.
 * @returns the stored text, or `undefined` when a v2 version is deleted.
 * @throws Error when the entry has no string field `name` (it was not written by KES) or the answer is malformed.
 */
export function storedText(version: KvVersion, name: string, body: unknown): string | undefined {
  const data = secretData(version, body);
  if (data === null) return undefined;
  const value = data[name];
  if (typeof value !== 'string') {
    throw new Error(`vault: the entry of key '${name}' exists but has no text field '${name}' (not written by KES?)`);
  }
  return value;
}

/**
 * Tells what a 404 from a K/V path means.
 * @returns `'absent'` for "no such entry": an empty body or `{"errors":[]}`, and for a v2 entry whose version is
 *   deleted or destroyed (`data.data: null` with metadata).
 * @returns an Error explaining the misconfiguration otherwise: a v1 path on a v2 mount (404 with `warnings`) or an
 *   unknown mount (404 `{"errors":["no handler for route …"]}`).
 */
export function classifyNotFound(version: KvVersion, err: VaultRequestError): 'absent' | Error {
  const body = err.body;
  if (err.errors.length > 0) {
    const said = err.errors.join('; ');
    const hint = /no handler|unsupported path/i.test(said) ? '; check engine (the K/V mount path) and namespace' : '';
    return new Error(`${err.message}${hint}`, { cause: err });
  }
  const warnings = isObj(body) && Array.isArray(body['warnings']) ? body['warnings'].filter((w) => typeof w === 'string') : [];
  const data = isObj(body) ? body['data'] : undefined;
  if (warnings.length > 0 && (data === null || data === undefined)) {
    const hint = version === 'v1' ? '; the mount is a versioned K/V (v2) engine: set version: v2' : '';
    return new Error(`vault: ${err.operation}: ${warnings.join('; ')} (HTTP 404)${hint}`, { cause: err });
  }
  return 'absent';
}

/**
 * The entry names of a 200 list answer (`data.keys`), without folders (names ending in `/`).
 * @throws Error when the answer has no `data.keys` array of strings.
 */
export function listedNames(body: unknown): string[] {
  const data = isObj(body) ? body['data'] : undefined;
  const keys = isObj(data) ? data['keys'] : undefined;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new Error('vault: invalid list answer: no data.keys array of strings');
  }
  return (keys as string[]).filter((k) => !k.endsWith('/'));
}

/**
 * Reads `data.<field>` of a transit answer.
 * @throws Error when it is not a string.
 */
export function transitField(body: unknown, field: 'ciphertext' | 'plaintext'): string {
  const data = isObj(body) ? body['data'] : undefined;
  const value = isObj(data) ? data[field] : undefined;
  if (typeof value !== 'string') throw new Error(`vault: invalid transit answer: no data.${field}`);
  return value;
}

/** True iff `err` is a 404 answer (not a network error). */
export function isNotFound(err: unknown): err is VaultRequestError {
  return err instanceof VaultRequestError && err.status === 404;
}
