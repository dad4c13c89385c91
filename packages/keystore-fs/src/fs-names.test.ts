import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertFsKeyName, isValidFsKeyName, tempFileName } from './fs-names.js';

describe('isValidFsKeyName', () => {
  it('follows the KES fs rule: non-empty, no / \\ . (cases of upstream fs_test.go)', () => {
    const invalid = ['', '.', '..', '.my-key', 'my.key', '/my-key', '\\my-key', 'my-key/', 'my/key', './my-key', './../my-key'];
    for (const name of invalid) expect(isValidFsKeyName(name), name).toBe(false);
    expect(isValidFsKeyName('my-key')).toBe(true);
  });

  it('also refuses NUL and accepts everything else (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        const expected = name.length > 0 && ![...'/\\.\0'].some((c) => name.includes(c));
        expect(isValidFsKeyName(name)).toBe(expected);
      }),
    );
  });

  it('assertFsKeyName throws the catalog error with KES text', () => {
    expect(() => assertFsKeyName('a.b')).toThrow('fs: key name contains invalid character');
    expect(() => assertFsKeyName('ab')).not.toThrow();
  });

  it('temporary file names are never valid key names and do not repeat', () => {
    const names = new Set(Array.from({ length: 1000 }, tempFileName));
    expect(names.size).toBe(1000);
    for (const name of names) expect(isValidFsKeyName(name)).toBe(false);
  });
});
