/**
 * Key-name patterns of `kes migrate` with the syntax of Go's `filepath.Match` (what upstream uses): `*` any run of
 * characters except `/`, `?` one such character, `[abc]`, `[a-z]`, `[^a-z]` classes, `\` escapes the next character.
 */

/** Thrown for a malformed pattern (Go's `ErrBadPattern`). */
export class BadPatternError extends Error {
  override readonly name = 'BadPatternError';
  constructor(readonly pattern: string, detail: string) {
    super(`invalid pattern '${pattern}': ${detail}`);
  }
}

/** Escapes a literal character outside a class. */
const escapeRegExp = (ch: string): string => ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
/** Escapes a literal character inside a class (where '-' is special too). */
const escapeClass = (ch: string): string => ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** Reads one class character (possibly escaped) at `i`; Go rejects an unescaped `-` or `]` here. */
function classChar(chars: string[], i: number, pattern: string): [string, number] {
  const ch = chars[i];
  if (ch === undefined || ch === '-' || ch === ']') throw new BadPatternError(pattern, 'malformed character class');
  if (ch === '\\') {
    const next = chars[i + 1];
    if (next === undefined) throw new BadPatternError(pattern, 'trailing backslash');
    return [next, i + 2];
  }
  return [ch, i + 1];
}

/**
 * Compiles a pattern into an anchored RegExp.
 * @throws BadPatternError for an unterminated or malformed class, a reversed range or a trailing backslash.
 */
export function compileGlob(pattern: string): RegExp {
  const chars = [...pattern];
  let re = '';
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i]!;
    if (ch === '*') {
      re += '[^/]*';
      i++;
    } else if (ch === '?') {
      re += '[^/]';
      i++;
    } else if (ch === '\\') {
      const next = chars[i + 1];
      if (next === undefined) throw new BadPatternError(pattern, 'trailing backslash');
      re += escapeRegExp(next);
      i += 2;
    } else if (ch === '[') {
      i++;
      const negate = chars[i] === '^';
      if (negate) i++;
      const ranges: string[] = [];
      for (;;) {
        if (chars[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const [lo, afterLo] = classChar(chars, i, pattern);
        i = afterLo;
        let hi = lo;
        if (chars[i] === '-') {
          [hi, i] = classChar(chars, i + 1, pattern);
          if (hi.codePointAt(0)! < lo.codePointAt(0)!) throw new BadPatternError(pattern, `reversed range ${lo}-${hi}`);
        }
        ranges.push(lo === hi ? escapeClass(lo) : `${escapeClass(lo)}-${escapeClass(hi)}`);
        if (i >= chars.length) throw new BadPatternError(pattern, "unterminated character class (missing ']')");
      }
      re += negate ? `(?![${ranges.join('')}])[^/]` : `[${ranges.join('')}]`;
    } else {
      re += escapeRegExp(ch);
      i++;
    }
  }
  return new RegExp(`^${re}$`, 'su');
}

/**
 * @returns a predicate telling whether a name matches `pattern` in full.
 * @throws BadPatternError for a malformed pattern (checked up front, unlike Go which may notice late).
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  const re = compileGlob(pattern);
  return (name) => re.test(name);
}
