import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanPath, splitTarget, unescapePath } from './path.js';

describe('splitTarget', () => {
  it('splits origin-form targets into escaped path and raw query', () => {
    expect(splitTarget('/v1/key/list/%2A?enclave=x')).toEqual({ escapedPath: '/v1/key/list/%2A', rawQuery: 'enclave=x' });
    expect(splitTarget('/v1/status')).toEqual({ escapedPath: '/v1/status', rawQuery: '' });
  });

  it('takes the path of absolute-form targets and refuses anything else', () => {
    expect(splitTarget('https://kes:7373/v1/status?x')).toEqual({ escapedPath: '/v1/status', rawQuery: 'x' });
    expect(splitTarget('https://kes:7373')).toEqual({ escapedPath: '/', rawQuery: '' });
    expect(splitTarget('*')).toBeUndefined();
    expect(splitTarget('')).toBeUndefined();
  });
});

describe('cleanPath', () => {
  it('cleans like Go net/http, keeping a trailing slash', () => {
    expect(cleanPath('/v1//key/list/')).toBe('/v1/key/list/');
    expect(cleanPath('/v1/./status')).toBe('/v1/status');
    expect(cleanPath('/v1/key/describe/../x')).toBe('/v1/key/x');
    expect(cleanPath('/../../etc')).toBe('/etc');
    expect(cleanPath('/v1/key/list/')).toBe('/v1/key/list/');
    expect(cleanPath('')).toBe('/');
    expect(cleanPath('a/b')).toBe('/a/b');
  });

  it('treats escaped dots and slashes as ordinary characters', () => {
    expect(cleanPath('/v1/key/describe/..%2Fetc')).toBe('/v1/key/describe/..%2Fetc');
    expect(cleanPath('/v1/key/describe/%2E%2E')).toBe('/v1/key/describe/%2E%2E');
  });

  it('is idempotent and yields no empty, "." or ".." segments', () => {
    const segment = fc.constantFrom('', '.', '..', 'a', 'b', '%2F', 'key');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.boolean(), (segs, slash) => {
        const clean = cleanPath(`/${segs.join('/')}${slash ? '/' : ''}`);
        expect(cleanPath(clean)).toBe(clean);
        expect(clean.startsWith('/')).toBe(true);
        const inner = clean.slice(1, clean.endsWith('/') && clean !== '/' ? -1 : undefined);
        if (inner !== '') for (const s of inner.split('/')) expect(['', '.', '..']).not.toContain(s);
      }),
    );
  });
});

describe('unescapePath', () => {
  it('decodes percent escapes and keeps +', () => {
    expect(unescapePath('%2A')).toBe('*');
    expect(unescapePath('a+b%20c')).toBe('a+b c');
    expect(unescapePath('..%2Fetc')).toBe('../etc');
    expect(unescapePath('%c3%a9')).toBe('é');
  });

  it('rejects malformed escapes', () => {
    for (const bad of ['%', '%2', '%g0', 'a%zz', '%%41']) expect(unescapePath(bad)).toBeUndefined();
  });

  it('reads invalid UTF-8 as U+FFFD', () => {
    expect(unescapePath('%ff')).toBe('\ufffd');
  });

  it('inverts encodeURIComponent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(unescapePath(encodeURIComponent(s))).toBe(s);
      }),
    );
  });
});
