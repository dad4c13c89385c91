/**
 * Validation of client input to the secrets API: secret names (`^[0-9a-zA-Z-]{1,127}$`, §1.7), version ids, and
 * PUT / PATCH bodies (value ≤ 25 600 characters, contentType ≤ 255, ≤ 15 tags, integer-second nbf/exp).
 * Every function returns a value or throws a catalog {@link VaultError}; nothing else.
 */
import { MAX_CONTENT_TYPE_LENGTH, MAX_SECRET_VALUE_LENGTH, MAX_TAG_LENGTH, MAX_TAGS } from './constants.js';
import { VaultErrors } from './errors.js';
import { isObject, parseJson } from './http-util.js';
import type { VersionInput, VersionPatch } from './secret-model.js';

const NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** True for a valid Key Vault object name. */
export function isValidSecretName(name: string): boolean {
  return NAME.test(name);
}

/** True for a string that could be a version id (any 1–64 alphanumerics; unknown ones are simply not found). */
export function isPlausibleVersion(version: string): boolean {
  return /^[0-9a-zA-Z]{1,64}$/.test(version);
}

function parseObject(text: string): Record<string, unknown> {
  const v = parseJson(text);
  if (!isObject(v)) throw VaultErrors.badBody();
  return v;
}

function optionalString(body: Record<string, unknown>, key: string, max: number): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw VaultErrors.invalidProperty(key);
  return v;
}

function tags(body: Record<string, unknown>): Record<string, string> | undefined {
  const v = body['tags'];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw VaultErrors.invalidProperty('tags');
  const entries = Object.entries(v);
  if (entries.length > MAX_TAGS) throw VaultErrors.invalidProperty('tags');
  const out: Record<string, string> = {};
  for (const [k, val] of entries) {
    if (k.length === 0 || k.length > MAX_TAG_LENGTH || typeof val !== 'string' || val.length > MAX_TAG_LENGTH)
      throw VaultErrors.invalidProperty('tags');
    out[k] = val;
  }
  return out;
}

function attributes(body: Record<string, unknown>): { enabled?: boolean; nbf?: number; exp?: number } {
  const a = body['attributes'];
  if (a === undefined || a === null) return {};
  if (!isObject(a)) throw VaultErrors.invalidProperty('attributes');
  const out: { enabled?: boolean; nbf?: number; exp?: number } = {};
  const enabled = a['enabled'];
  if (enabled !== undefined && enabled !== null) {
    if (typeof enabled !== 'boolean') throw VaultErrors.invalidProperty('attributes.enabled');
    out.enabled = enabled;
  }
  for (const key of ['nbf', 'exp'] as const) {
    const v = a[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw VaultErrors.invalidProperty(`attributes.${key}`);
    out[key] = v;
  }
  return out;
}

/**
 * Parses a PUT body `{"value", "contentType"?, "attributes"?, "tags"?}`.
 * @throws 400 `BadParameter` for malformed JSON or shapes, 400 `SecretTooLarge` over 25 600 characters.
 */
export function parseSetBody(text: string): VersionInput {
  const body = parseObject(text);
  const value = body['value'];
  if (typeof value !== 'string') throw VaultErrors.badBody();
  if (value.length > MAX_SECRET_VALUE_LENGTH) throw VaultErrors.secretTooLarge();
  const input: VersionInput = { value, ...attributes(body) };
  const contentType = optionalString(body, 'contentType', MAX_CONTENT_TYPE_LENGTH);
  if (contentType !== undefined) input.contentType = contentType;
  const t = tags(body);
  if (t !== undefined) input.tags = t;
  return input;
}

/**
 * Parses a PATCH body `{"contentType"?, "attributes"?, "tags"?}` (an empty body is an empty patch).
 * @throws 400 `BadParameter` for malformed JSON or shapes.
 */
export function parsePatchBody(text: string): VersionPatch {
  if (text.trim() === '') return {};
  const body = parseObject(text);
  const patch: VersionPatch = { ...attributes(body) };
  const contentType = optionalString(body, 'contentType', MAX_CONTENT_TYPE_LENGTH);
  if (contentType !== undefined) patch.contentType = contentType;
  const t = tags(body);
  if (t !== undefined) patch.tags = t;
  return patch;
}

/**
 * Parses a restore body `{"value": "<backup blob>"}`.
 * @returns the blob text (validated by the backup codec).
 * @throws 400 `BadParameter` for malformed JSON or a missing value.
 */
export function parseRestoreBody(text: string): string {
  const body = parseObject(text);
  const value = body['value'];
  if (typeof value !== 'string') throw VaultErrors.badBody();
  return value;
}
