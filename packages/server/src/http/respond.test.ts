import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorBody, goJson, goJsonString } from './respond.js';

describe('goJson', () => {
  it('escapes <, >, &, U+2028 and U+2029 like Go and stays valid JSON', () => {
    expect(goJson({ message: "key name '<a&b>' \u2028\u2029" })).toBe(
      '{"message":"key name \'\\u003ca\\u0026b\\u003e\' \\u2028\\u2029"}',
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const out = goJson(s);
        expect(JSON.parse(out)).toBe(s);
        expect(out).not.toMatch(/[<>&\u2028\u2029]/);
      }),
    );
  });

  it('omits undefined members (omitempty)', () => {
    expect(goJson({ names: [], continue_at: undefined })).toBe('{"names":[]}');
  });
});

describe('goJsonString', () => {
  it('is goJson of the string, for plain and for escaped text', () => {
    for (const s of ['', '127.0.0.1', '::1', '/v1/key/generate/my-key', 'a"b', 'a\\b', '<&>', 'é', '\u2028', '\n', '\x7f', 'POST']) {
      expect(goJsonString(s)).toBe(goJson(s));
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(goJsonString(s)).toBe(goJson(s));
    }));
  });
});

describe('errorBody', () => {
  it('is byte-exact: {"message":<json>\\n}', () => {
    const body = errorBody('key does not exist');
    expect(body).toBe('{"message":"key does not exist"\n}');
    expect(Buffer.byteLength(body)).toBe(33);
    expect(JSON.parse(errorBody('a"b\\c\n').toString())).toEqual({ message: 'a"b\\c\n' });
  });
});
