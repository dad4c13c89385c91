/**
 * Decoding request bodies into flat request structs the way Go's `encoding/json` does for KES (spec §1.4):
 * object keys match field names case-insensitively (Go's folding: ASCII case, `K` U+212A ~ `k`, `ſ` U+017F ~ `s`),
 * unknown keys are ignored, the last member naming a field wins, `null` leaves a string unchanged and empties a byte
 * field, bytes after the first value are ignored, and `[]byte` fields take strict standard base64 (Go's decoder skips
 * `\r` and `\n` inside it) or an array of byte values.
 */
import { isAscii } from 'node:buffer';
import { Errors, decodeBase64 } from '@kes/core';
import { JsonObject, parseFirstJsonValue, type JsonValue } from './json-parse.js';

/** The Go type of a request field: `string` or `[]byte`. */
export type FieldKind = 'string' | 'bytes';

/** A request struct description: JSON field name (lowercase ASCII) → kind. */
export type StructSchema = Readonly<Record<string, FieldKind>>;

/** The decoded struct: a field is `undefined` when absent, `null` or (for bytes) emptied by `null`. */
export type Decoded<S extends StructSchema> = {
  -readonly [K in keyof S]?: S[K] extends 'bytes' ? Uint8Array : string;
};

/** Go's `foldName` for the characters that can fold into ASCII letters. */
function fold(name: string): string {
  return name.replace(/[a-z\u212a\u017f]/g, (c) => {
    if (c === '\u212a') return 'K';
    if (c === '\u017f') return 'S';
    return c.toUpperCase();
  });
}

function decodeBytes(value: JsonValue): Uint8Array {
  if (typeof value === 'string') {
    return decodeBase64(value.includes('\r') || value.includes('\n') ? value.replace(/[\r\n]/g, '') : value);
  }
  if (Array.isArray(value)) {
    const out = new Uint8Array(value.length);
    value.forEach((item, i) => {
      if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item > 255) {
        throw Errors.invalidRequestBody();
      }
      out[i] = item;
    });
    return out;
  }
  throw Errors.invalidRequestBody();
}

/**
 * Decodes one already-parsed JSON value into the struct `schema` describes (Go `json.Unmarshal` into a struct).
 * A top-level `null` yields an empty struct.
 * @throws KesError `INVALID_REQUEST_BODY` when the value is not an object (or null), a field has the wrong JSON type,
 *   or a byte field is not valid standard base64 (Go reports these as errors, which KES answers with 400).
 */
export function decodeStruct<S extends StructSchema>(value: JsonValue, schema: S): Decoded<S> {
  const result: Record<string, string | Uint8Array | undefined> = {};
  if (value === null) return result as Decoded<S>;
  if (!(value instanceof JsonObject)) throw Errors.invalidRequestBody();
  const fields = Object.keys(schema);
  const folded = new Map(fields.map((f) => [fold(f), f]));
  for (const [key, member] of value.members) {
    const field = Object.hasOwn(schema, key) ? key : folded.get(fold(key));
    if (field === undefined) continue;
    const kind = schema[field];
    if (member === null) {
      if (kind === 'bytes') result[field] = undefined;
      continue;
    }
    if (kind === 'string') {
      if (typeof member !== 'string') throw Errors.invalidRequestBody();
      result[field] = member;
    } else {
      try {
        result[field] = decodeBytes(member);
      } catch {
        throw Errors.invalidRequestBody();
      }
    }
  }
  return result as Decoded<S>;
}

/**
 * Parses `body` (first JSON value, trailing bytes ignored) and decodes it into `schema`.
 * @throws KesError `INVALID_REQUEST_BODY` for an empty or malformed body or any decoding error of {@link decodeStruct}.
 */
export function decodeRequestBody<S extends StructSchema>(body: Uint8Array, schema: S): Decoded<S> {
  return decodeSimpleBody(body, schema) ?? decodeStruct(parseFirstJsonValue(body), schema);
}

/**
 * The fast path of {@link decodeRequestBody} for what clients send (one flat object of plain-ASCII string members,
 * field names in lowercase, no duplicates): `JSON.parse` decodes such a body exactly as the Go-compatible parser
 * would. Anything else — escapes, non-ASCII bytes, trailing bytes, duplicate members, a field name in another case,
 * non-string values — returns `undefined` and takes the full path, so results and errors stay identical.
 */
function decodeSimpleBody<S extends StructSchema>(body: Uint8Array, schema: S): Decoded<S> | undefined {
  if (body.length === 0 || !isAscii(body)) return undefined;
  const text = (Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length)).toString('latin1');
  if (text.includes('\\')) return undefined;
  let quotes = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) quotes++;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  let expected = 0;
  for (const key of Object.keys(parsed)) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string') expected += 4;
    else if (value === null) expected += 2;
    else return undefined;
    if (!Object.hasOwn(schema, key) && foldedFieldsOf(schema).has(fold(key))) return undefined;
  }
  if (quotes !== expected) return undefined; // a duplicate member (JSON.parse kept only the last one)
  const result: Record<string, string | Uint8Array | undefined> = {};
  for (const field of Object.keys(schema)) {
    const value = (parsed as Record<string, unknown>)[field];
    if (typeof value !== 'string' || !Object.hasOwn(parsed, field)) continue;
    if (schema[field] === 'string') result[field] = value;
    else {
      try {
        result[field] = decodeBytes(value);
      } catch {
        throw Errors.invalidRequestBody();
      }
    }
  }
  return result as Decoded<S>;
}

const foldedFields = new WeakMap<StructSchema, ReadonlySet<string>>();

/** The folded names of a schema's fields (cached per schema object). */
function foldedFieldsOf(schema: StructSchema): ReadonlySet<string> {
  let set = foldedFields.get(schema);
  if (set === undefined) {
    set = new Set(Object.keys(schema).map(fold));
    foldedFields.set(schema, set);
  }
  return set;
}

/**
 * Parses `body` as a JSON array of structs (the bulk-decrypt request). A top-level `null` is an empty array.
 * @throws KesError `INVALID_REQUEST_BODY` when the body is malformed, not an array, or an element does not decode.
 */
export function decodeRequestArray<S extends StructSchema>(body: Uint8Array, schema: S): Array<Decoded<S>> {
  const value = parseFirstJsonValue(body);
  if (value === null) return [];
  if (!Array.isArray(value)) throw Errors.invalidRequestBody();
  return value.map((item) => decodeStruct(item, schema));
}
