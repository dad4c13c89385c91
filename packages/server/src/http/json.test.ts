import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequestArray, decodeRequestBody } from './json.js';
import { JsonObject, parseFirstJsonValue, type JsonValue } from './json-parse.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Our tree as plain JS, the last duplicate winning (as JSON.parse does). */
function plain(v: JsonValue): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof JsonObject) {
    const o: Record<string, unknown> = {};
    for (const [k, m] of v.members) Object.defineProperty(o, k, { value: plain(m), enumerable: true, configurable: true, writable: true });
    return o;
  }
  return v;
}

const isBadBody = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code === 'INVALID_REQUEST_BODY';
  }
  return false;
};

describe('parseFirstJsonValue', () => {
  it('agrees with JSON.parse on valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(plain(parseFirstJsonValue(utf8(text)))).toEqual(JSON.parse(text));
      }),
    );
  });

  it('ignores whatever follows the first value, like Go json.Decoder', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (v, junk) => {
        const text = ` \n${JSON.stringify(v)}`;
        expect(plain(parseFirstJsonValue(utf8(`${text}}${junk}`)))).toEqual(JSON.parse(text));
      }),
    );
  });

  it('rejects every truncation of an object or array', () => {
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue())), fc.nat(), (v, cut) => {
        const text = JSON.stringify(v);
        const prefix = text.slice(0, cut % text.length);
        expect(isBadBody(() => parseFirstJsonValue(utf8(prefix)))).toBe(true);
      }),
    );
  });

  it('rejects malformed JSON with INVALID_REQUEST_BODY only', () => {
    const bad = ['', '   ', '{', '{"a":1,}', "{'a':1}", '[1,]', '1.', '1e', '-1.e5', '[01]', '-', '"\\x"', '"a\u0001"', 'tru', 'NaN', '{"a" 1}', '{1:2}', '"\\u12"'];
    for (const text of bad) expect(isBadBody(() => parseFirstJsonValue(utf8(text))), text).toBe(true);
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    expect(isBadBody(() => parseFirstJsonValue(utf8('['.repeat(200_000))))).toBe(true);
    expect(isBadBody(() => parseFirstJsonValue(utf8(`${'['.repeat(1001)}${']'.repeat(1001)}`)))).toBe(true);
    expect(plain(parseFirstJsonValue(utf8(`${'['.repeat(1000)}${']'.repeat(1000)}`)))).toBeDefined();
  });

  it('parses a 1 MB string quickly', () => {
    const text = `{"plaintext":"${'A'.repeat(999_000)}"}`;
    const t0 = performance.now();
    parseFirstJsonValue(utf8(text));
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

const SCHEMA = { plaintext: 'bytes', context: 'bytes', version: 'string' } as const;

describe('decodeRequestBody (Go struct semantics)', () => {
  it('matches keys case-insensitively, including Go folding of K (U+212A) and ſ (U+017F)', () => {
    expect(decodeRequestBody(utf8('{"PlainText":"YQ==","CONTEXT":"Yg=="}'), SCHEMA)).toEqual({
      plaintext: utf8('a'),
      context: utf8('b'),
    });
    expect(decodeRequestBody(utf8('{"meſſage":"YQ=="}'), { message: 'bytes' })).toEqual({ message: utf8('a') });
    expect(decodeRequestBody(utf8('{"\u212aey":"YQ=="}'), { key: 'bytes' })).toEqual({ key: utf8('a') });
  });

  it('lets the last member naming a field win, whatever its case', () => {
    const body = '{"context":"YQ==","Context":"Yg==","context":"Yw==","CONTEXT":"ZA=="}';
    expect(decodeRequestBody(utf8(body), SCHEMA).context).toEqual(utf8('d'));
    expect(decodeRequestBody(utf8('{"context":"YQ==","Context":"Yg==","context":"Yw=="}'), SCHEMA).context).toEqual(utf8('c'));
  });

  it('ignores unknown keys and trailing bytes', () => {
    const d = decodeRequestBody(utf8('{"x":[1,{"y":2}],"plaintext":""} trailing {'), SCHEMA);
    expect(Object.keys(d)).toEqual(['plaintext']);
    expect(d.plaintext).toHaveLength(0);
    expect(plain(parseFirstJsonValue(utf8('01')))).toBe(0); // Go's Decoder also stops after the 0
  });

  it('treats null like Go: no-op for strings, empties byte fields; top-level null is an empty struct', () => {
    expect(decodeRequestBody(utf8('{"version":"v","version":null}'), SCHEMA).version).toBe('v');
    expect(decodeRequestBody(utf8('{"context":"YQ==","context":null}'), SCHEMA).context).toBeUndefined();
    expect(decodeRequestBody(utf8('null'), SCHEMA)).toEqual({});
  });

  it('accepts byte arrays, strict base64, and Go’s CR/LF tolerance inside base64', () => {
    expect(decodeRequestBody(utf8('{"plaintext":[1,2,255]}'), SCHEMA).plaintext).toEqual(Uint8Array.from([1, 2, 255]));
    expect(decodeRequestBody(utf8('{"plaintext":"YW\\r\\nJj"}'), SCHEMA).plaintext).toEqual(utf8('abc'));
  });

  it('rejects wrong types, bad base64 and non-object bodies', () => {
    const bad = [
      '{"plaintext":"YQ"}', // unpadded
      '{"plaintext":"YQ=="x', // garbage between members
      '{"plaintext":"Y-=="}', // URL alphabet
      '{"plaintext":"YQ== "}',
      '{"plaintext":1}',
      '{"plaintext":true}',
      '{"plaintext":{}}',
      '{"plaintext":[256]}',
      '{"plaintext":[1.5]}',
      '{"version":1}',
      '[]',
      '"x"',
      '1',
      '',
    ];
    for (const body of bad) expect(isBadBody(() => decodeRequestBody(utf8(body), SCHEMA)), body).toBe(true);
  });

  it('round-trips any bytes through standard base64', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.uint8Array(), (p, c) => {
        const body = JSON.stringify({ plaintext: Buffer.from(p).toString('base64'), context: Buffer.from(c).toString('base64') });
        const d = decodeRequestBody(utf8(body), SCHEMA);
        expect(Buffer.from(d.plaintext!)).toEqual(Buffer.from(p));
        expect(Buffer.from(d.context!)).toEqual(Buffer.from(c));
      }),
    );
  });

  it('never throws anything but INVALID_REQUEST_BODY on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array().map((b) => Buffer.from(b).toString('latin1'))), (s) => {
        try {
          decodeRequestBody(utf8(s), SCHEMA);
        } catch (err) {
          expect((err as { code?: string }).code).toBe('INVALID_REQUEST_BODY');
        }
      }),
    );
  });
});

describe('decodeRequestArray', () => {
  it('decodes arrays of structs and treats null as empty', () => {
    expect(decodeRequestArray(utf8('[{"ciphertext":"YQ=="},{"Context":"Yg=="}]'), { ciphertext: 'bytes', context: 'bytes' })).toEqual([
      { ciphertext: utf8('a') },
      { context: utf8('b') },
    ]);
    expect(decodeRequestArray(utf8('null'), { ciphertext: 'bytes' })).toEqual([]);
    expect(isBadBody(() => decodeRequestArray(utf8('{}'), { ciphertext: 'bytes' }))).toBe(true);
    expect(isBadBody(() => decodeRequestArray(utf8('[1]'), { ciphertext: 'bytes' }))).toBe(true);
  });
});
