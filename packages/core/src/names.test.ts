import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidName, isValidPattern } from './names.js';

const NAME_CHARS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-'];
const INNER_CHARS = NAME_CHARS.filter((c) => c !== '-');

/** Valid names: 1–80 name characters, no '-' at either end, not '_'. */
const validName = fc
  .tuple(fc.constantFrom(...INNER_CHARS), fc.array(fc.constantFrom(...NAME_CHARS), { maxLength: 78 }), fc.constantFrom(...INNER_CHARS), fc.boolean())
  .map(([first, middle, last, single]) => (single ? first : first + middle.join('') + last))
  .filter((s) => s !== '_');

/** Any single character (incl. astral and lone surrogates) that is not a name character. */
const foreignChar = fc
  .oneof(fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }), fc.constantFrom('\ud800', '\udfff', '.', '/', ' ', '\n', '\0', '*', '☰'))
  .filter((c) => !NAME_CHARS.includes(c));

describe('isValidName', () => {
  it.each(['a', '0', 'Z', 'my-key', 'my_key-0', '_-___---_', '__', '_0', 'a'.repeat(80), 'A-b_C'])('accepts %j', (s) => {
    expect(isValidName(s)).toBe(true);
  });

  it.each([
    '',
    '_',
    '-',
    '-a',
    'a-',
    '--',
    'my.key',
    'key/',
    '/key',
    'a b',
    'a*',
    '*',
    'hel<lo',
    'Εmacs', // Greek capital epsilon
    '☰',
    'ä',
    'a\n',
    'a'.repeat(81),
  ])('rejects %j', (s) => {
    expect(isValidName(s)).toBe(false);
  });

  it('rejects non-strings without throwing', () => {
    for (const v of [undefined, null, 1, {}, ['a']]) expect(isValidName(v as unknown as string)).toBe(false);
  });

  it('accepts every generated valid name', () => {
    fc.assert(fc.property(validName, (s) => isValidName(s)));
  });

  it('rejects a valid name with any foreign character inserted anywhere', () => {
    fc.assert(
      fc.property(validName, foreignChar, fc.nat(), (s, c, at) => {
        const i = at % (s.length + 1);
        return !isValidName(s.slice(0, i) + c + s.slice(i));
      }),
    );
  });

  it('rejects names longer than 80 bytes, counting UTF-8 bytes of multibyte characters', () => {
    fc.assert(fc.property(fc.integer({ min: 81, max: 300 }), (n) => !isValidName('a'.repeat(n))));
    // 79 ASCII + one 2-byte character: 80 UTF-16 units but 81 bytes (and a foreign character) → invalid.
    expect(isValidName(`${'a'.repeat(79)}é`)).toBe(false);
    expect(isValidName(`${'a'.repeat(78)}€`)).toBe(false); // 79 units, 81 bytes
  });

  it("rejects '-' at either end of any otherwise valid name", () => {
    fc.assert(fc.property(validName.filter((s) => s.length < 80), (s) => !isValidName(`-${s}`) && !isValidName(`${s}-`)));
  });
});

describe('isValidPattern', () => {
  it.each(['', '*', 'my*', '_-*', 'a-*', '_*', 'a', 'my-key', '_-___---_', '0-Z', `${'a'.repeat(79)}*`, 'a'.repeat(80)])(
    'accepts %j',
    (s) => {
      expect(isValidPattern(s)).toBe(true);
    },
  );

  it.each([
    '_',
    '-',
    '-*',
    '-a*',
    'a-',
    '**',
    '*-*',
    '*a',
    'a*b',
    'my.key',
    'key/',
    'key/*',
    '☰',
    'Εmacs',
    'hel<lo',
    'a?',
    `${'a'.repeat(80)}*`,
    'a'.repeat(81),
  ])('rejects %j', (s) => {
    expect(isValidPattern(s)).toBe(false);
  });

  it('rejects non-strings without throwing', () => {
    for (const v of [undefined, null, 0, {}]) expect(isValidPattern(v as unknown as string)).toBe(false);
  });

  it('accepts every valid name, and every valid name of ≤ 79 bytes with a trailing *', () => {
    fc.assert(fc.property(validName, (s) => isValidPattern(s) && (s.length > 79 || isValidPattern(`${s}*`))));
  });

  it('rejects a valid pattern with a foreign character (or a non-final *) inserted before its last character', () => {
    fc.assert(
      fc.property(validName, fc.oneof(foreignChar.filter((c) => c !== '*'), fc.constant('*')), fc.nat(), (s, c, at) => {
        const i = at % s.length; // strictly before the end: the inserted char is never last
        return !isValidPattern(`${s.slice(0, i)}${c}${s.slice(i)}*`);
      }),
    );
  });

  it('rejects patterns longer than 80 bytes', () => {
    fc.assert(fc.property(fc.integer({ min: 81, max: 300 }), fc.boolean(), (n, star) => !isValidPattern('a'.repeat(star ? n - 1 : n) + (star ? '*' : ''))));
    expect(isValidPattern(`${'a'.repeat(78)}é*`)).toBe(false);
  });

  it('agrees with isValidName on strings without *', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 90, unit: fc.constantFrom(...NAME_CHARS, '.', 'é') }), (s) => {
        return s === '' ? isValidPattern(s) && !isValidName(s) : isValidPattern(s) === isValidName(s);
      }),
    );
  });
});
