/**
 * A strict RFC 8259 JSON parser for request bodies that keeps what Go's `encoding/json` needs and `JSON.parse` loses:
 * object members in document order including duplicates (so "last duplicate wins" can be applied after
 * case-insensitive key matching), and the end of the first value (Go's `json.Decoder` ignores whatever follows it).
 */
import { Errors } from '@kes/core';

/** A JSON value; objects are {@link JsonObject}s so member order and duplicates survive. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A JSON object: its members in document order, duplicates kept. */
export class JsonObject {
  constructor(readonly members: ReadonlyArray<readonly [string, JsonValue]>) {}
}

/** More nested arrays/objects than this are refused (request bodies never need it; keeps the recursion bounded). */
const MAX_DEPTH = 1000;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const QUOTE_OR_BACKSLASH = /["\\]/g;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const CONTROL = /[\u0000-\u001f]/;
const SIMPLE_ESCAPES = '"\\/bfnrt';

class Parser {
  #pos = 0;
  constructor(readonly text: string) {}

  fail(): never {
    throw Errors.invalidRequestBody();
  }

  skipSpace(): void {
    const t = this.text;
    while (this.#pos < t.length) {
      const c = t.charCodeAt(this.#pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.#pos++;
    }
  }

  value(depth: number): JsonValue {
    this.skipSpace();
    const c = this.text[this.#pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.#pos)) this.fail();
    this.#pos += word.length;
    return value;
  }

  number(): number {
    NUMBER.lastIndex = this.#pos;
    const m = NUMBER.exec(this.text);
    if (m === null || m[0] === '') this.fail();
    this.#pos += m[0].length;
    // A '.' or exponent the pattern did not take is an incomplete number (Go: "1." is an error, "01" ends at "0").
    const next = this.text[this.#pos];
    if (next === '.' || next === 'e' || next === 'E') this.fail();
    return Number(m[0]);
  }

  string(): string {
    const t = this.text;
    const start = this.#pos;
    let i = start + 1;
    for (;;) {
      QUOTE_OR_BACKSLASH.lastIndex = i;
      const m = QUOTE_OR_BACKSLASH.exec(t);
      if (m === null) this.fail();
      if (m[0] === '"') {
        i = m.index + 1;
        break;
      }
      const e = t[m.index + 1];
      if (e === 'u') {
        if (!HEX4.test(t.slice(m.index + 2, m.index + 6))) this.fail();
        i = m.index + 6;
      } else if (e !== undefined && SIMPLE_ESCAPES.includes(e)) {
        i = m.index + 2;
      } else {
        this.fail();
      }
    }
    const raw = t.slice(start, i);
    if (CONTROL.test(raw)) this.fail();
    this.#pos = i;
    return JSON.parse(raw) as string;
  }

  array(depth: number): JsonValue[] {
    if (depth >= MAX_DEPTH) this.fail();
    this.#pos++; // [
    const items: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.#pos] === ']') {
      this.#pos++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.#pos++];
      if (c === ']') return items;
      if (c !== ',') this.fail();
    }
  }

  object(depth: number): JsonObject {
    if (depth >= MAX_DEPTH) this.fail();
    this.#pos++; // {
    const members: Array<[string, JsonValue]> = [];
    this.skipSpace();
    if (this.text[this.#pos] === '}') {
      this.#pos++;
      return new JsonObject(members);
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.#pos] !== '"') this.fail();
      const key = this.string();
      this.skipSpace();
      if (this.text[this.#pos++] !== ':') this.fail();
      members.push([key, this.value(depth + 1)]);
      this.skipSpace();
      const c = this.text[this.#pos++];
      if (c === '}') return new JsonObject(members);
      if (c !== ',') this.fail();
    }
  }
}

/**
 * Parses the first JSON value of `body` (UTF-8; invalid sequences read as U+FFFD like Go) and ignores any bytes after
 * it, as Go's `json.Decoder.Decode` does.
 * @throws KesError `INVALID_REQUEST_BODY` when the body is empty, truncated, not valid JSON up to the end of its first
 *   value, or nested deeper than 1000 levels. Never throws anything else.
 */
export function parseFirstJsonValue(body: Uint8Array): JsonValue {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const parser = new Parser(text);
  parser.skipSpace();
  return parser.value(0);
}
