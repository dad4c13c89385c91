import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadPatternError, globMatcher } from './glob.js';

describe('globMatcher (Go filepath.Match syntax)', () => {
  it.each([
    ['*', 'anything', true],
    ['*', '', true],
    ['my-key-*', 'my-key-1', true],
    ['my-key-*', 'my-key', false],
    ['my-?ey', 'my-key', true],
    ['my-?ey', 'my-ey', false],
    ['key[0-9]', 'key7', true],
    ['key[0-9]', 'keyx', false],
    ['key[^0-9]', 'keyx', true],
    ['key[^0-9]', 'key7', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['*.key', 'x.key', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['*', 'a/b', false],
  ])('%s vs %s', (pattern, name, expected) => {
    expect(globMatcher(pattern)(name)).toBe(expected);
  });

  it.each(['[', '[a', 'a[]', '[z-a]', 'x\\', '[a-', '[\\', 'key[abc-]'])('rejects malformed %s', (pattern) => {
    expect(() => globMatcher(pattern)).toThrow(BadPatternError);
  });

  it('a pattern without special characters matches exactly itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z_-]{1,20}$/), fc.stringMatching(/^[0-9A-Za-z_-]{0,20}$/), (pattern, other) => {
        const match = globMatcher(pattern);
        expect(match(pattern)).toBe(true);
        expect(match(other)).toBe(other === pattern);
      }),
    );
  });

  it('prefix* matches exactly the names with that prefix; never throws anything but BadPatternError', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z_-]{0,10}$/), fc.stringMatching(/^[0-9A-Za-z_-]{0,20}$/), (prefix, name) => {
        expect(globMatcher(`${prefix}*`)(name)).toBe(name.startsWith(prefix));
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (pattern, name) => {
        try {
          expect(typeof globMatcher(pattern)(name)).toBe('boolean');
        } catch (err) {
          expect(err).toBeInstanceOf(BadPatternError);
        }
      }),
    );
  });
});
