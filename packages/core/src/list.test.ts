import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIST_PAGE_SIZE } from './keystore.js';
import { compareNames, listPage } from './list.js';

const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareNames', () => {
  it('orders by bytes, not by locale or UTF-16 units', () => {
    const names = ['b', 'a_1', 'a-1', 'A', '0', 'a', 'aa', 'Z', '\u{1F600}', '\uFF21', 'é'];
    expect([...names].sort(compareNames)).toEqual(['0', 'A', 'Z', 'a', 'a-1', 'a_1', 'aa', 'b', 'é', '\uFF21', '\u{1F600}']);
  });

  it('agrees with the byte order of the UTF-8 encoding (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareNames(a, b))).toBe(Math.sign(utf8Compare(a, b)));
      }),
    );
  });

  it('is 0 exactly for equal strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (a) => compareNames(a, a) === 0 && compareNames(a, a + 'x') < 0));
  });
});

describe('listPage', () => {
  const four = ['my-key', 'my-key2', '0-key', '1-key'];

  it('matches the KES list helper cases', () => {
    expect(listPage([], '', 0)).toEqual({ names: [], continueAt: '' });
    expect(listPage(four, '', 0)).toEqual({ names: ['0-key', '1-key', 'my-key', 'my-key2'], continueAt: '' });
    expect(listPage(four, 'my', 0)).toEqual({ names: ['my-key', 'my-key2'], continueAt: '' });
    expect(listPage(four, 'my', 1)).toEqual({ names: ['my-key'], continueAt: 'my-key2' });
  });

  it('pages without a prefix and reports the next name', () => {
    expect(listPage(four, '', 2)).toEqual({ names: ['0-key', '1-key'], continueAt: 'my-key' });
    expect(listPage(four, '', 4)).toEqual({ names: ['0-key', '1-key', 'my-key', 'my-key2'], continueAt: '' });
    expect(listPage(four, '', 5).continueAt).toBe('');
  });

  it('never continues at a name outside the prefix', () => {
    expect(listPage(['a1', 'a2', 'b1'], 'a', 2)).toEqual({ names: ['a1', 'a2'], continueAt: '' });
    expect(listPage(['a1', 'a2', 'b1'], 'a', 1)).toEqual({ names: ['a1'], continueAt: 'a2' });
    expect(listPage(['a1', 'b1'], 'c', 1)).toEqual({ names: [], continueAt: '' });
  });

  it('caps a page at 1024 names when limit <= 0 or NaN, and honours larger explicit limits', () => {
    const names = Array.from({ length: 1100 }, (_, i) => `k${String(i).padStart(4, '0')}`);
    for (const limit of [0, -1, -1024, Number.NaN]) {
      const page = listPage(names, '', limit);
      expect(page.names).toHaveLength(DEFAULT_LIST_PAGE_SIZE);
      expect(page.continueAt).toBe('k1024');
    }
    expect(listPage(names, 'k', 0).continueAt).toBe('k1024');
    expect(listPage(names, '', 1100)).toEqual({ names, continueAt: '' });
    expect(listPage(names, '', Number.POSITIVE_INFINITY).names).toHaveLength(1100);
    expect(listPage(names, '', 2.9).names).toEqual(['k0000', 'k0001']);
  });

  it('does not modify its input and accepts any iterable', () => {
    const input = ['b', 'a'];
    listPage(input, '', 0);
    expect(input).toEqual(['b', 'a']);
    expect(listPage(new Set(['b', 'a']), '', 0).names).toEqual(['a', 'b']);
  });

  it('returns the sorted prefix matches page by page (property)', () => {
    const name = fc.string({ unit: fc.constantFrom('a', 'b', '-', '_', '0', 'Z'), minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 40 }), fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 2 }), fc.integer({ min: -2, max: 45 }), (names, prefix, limit) => {
        const expected = names.filter((n) => n.startsWith(prefix)).sort(utf8Compare);
        const size = limit >= 1 ? limit : DEFAULT_LIST_PAGE_SIZE;
        const page = listPage(names, prefix, limit);
        expect(page.names).toEqual(expected.slice(0, size));
        expect(page.continueAt).toBe(expected[size] ?? '');
      }),
    );
  });
});
