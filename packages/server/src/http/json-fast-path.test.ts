import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequestBody, decodeStruct } from './json.js';
import { parseFirstJsonValue } from './json-parse.js';

const SCHEMA = { context: 'bytes', plaintext: 'bytes', version: 'string' } as const;

/** The full (Go-compatible) path alone, for comparison. */
function slow(body: Uint8Array): unknown {
  try {
    return { ok: decodeStruct(parseFirstJsonValue(body), SCHEMA) };
  } catch (err) {
    return { err: (err as Error).message };
  }
}

function viaDecode(body: Uint8Array): unknown {
  try {
    return { ok: decodeRequestBody(body, SCHEMA) };
  } catch (err) {
    return { err: (err as Error).message };
  }
}

const key = fc.constantFrom('context', 'plaintext', 'version', 'Context', 'VERSION', 'conteXt', 'other', 'ſ', 'plaintext ');
const b64 = fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString('base64'));
const value = fc.oneof(
  b64.map((s) => JSON.stringify(s)),
  fc.constantFrom('null', '"not base64!"', '"YQ"', '12', 'true', '[1,2]', '{"a":"b"}', '"\\u0041QID"', '"é"', '"a\\"b"'),
);
const member = fc.tuple(key, value).map(([k, v]) => `${JSON.stringify(k)}:${v}`);
const body = fc.tuple(fc.array(member, { maxLength: 5 }), fc.constantFrom('', ' ', '\n', 'x', '}', ' {}')).map(([members, tail]) => `{${members.join(',')}}${tail}`);

describe('decodeRequestBody fast path', () => {
  it('decodes exactly like the Go-compatible parser (property)', () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.string()), (text) => {
        const bytes = Buffer.from(text);
        expect(viaDecode(bytes)).toEqual(slow(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps Go semantics in the cases JSON.parse alone gets wrong', () => {
    const cases = ['{"version":"x","version":null}', '{"context":"YQ==","Context":"Yg=="}', '{"version":"a"} trailing', '{"version":"\\u0041"}', '{"context":[97]}'];
    for (const text of cases) expect(viaDecode(Buffer.from(text))).toEqual(slow(Buffer.from(text)));
    expect(viaDecode(Buffer.from('{"version":"x","version":null}'))).toEqual({ ok: { version: 'x' } });
  });
});
