/**
 * Decoding request bodies into flat request structs the way Go's `encoding/json` does for KES (spec §1.4):
 * object keys match field names case-insensitively (Go's folding: ASCII case, `K` U+212A ~ `k`, `ſ` U+017F ~ `s`),
 * unknown keys are ignored, the last member naming a field wins, `null` leaves a string unchanged and empties a byte
 * field, bytes after the first value are ignored, and `[]byte` fields take strict standard base64 (Go's decoder skips
 * `\r` and `\n` inside it) or an array of byte values.
 */
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
  return decodeStruct(parseFirstJsonValue(body), schema);
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
