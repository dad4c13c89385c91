/**
 * Argument validation for names and listing patterns (spec §2.2).
 *
 * Both rules admit only ASCII characters, so for every string that passes the character check its UTF-16 length
 * equals its UTF-8 byte length; the 80-byte limit is therefore checked on `length` after (or, for rejection,
 * independently of) the character check.
 */

/** Maximum length of a name or pattern, in bytes. */
const MAX_NAME_LENGTH = 80;

/** True iff the UTF-16 code unit `c` is one of `0-9 A-Z a-z _ -`. */
function isNameChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || // 0-9
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    c === 0x5f || // _
    c === 0x2d // -
  );
}

const HYPHEN = 0x2d;
const STAR = 0x2a;

/**
 * Whether `s` is a valid key, policy or identity name (spec §2.2): 1–80 bytes of `0-9 A-Z a-z _ -`, not starting or
 * ending with `-`, and not the single name `_`.
 *
 * @returns `false` for anything else, including non-strings. Never throws.
 */
export function isValidName(s: string): boolean {
  if (typeof s !== 'string' || s.length === 0 || s.length > MAX_NAME_LENGTH || s === '_') return false;
  if (s.charCodeAt(0) === HYPHEN || s.charCodeAt(s.length - 1) === HYPHEN) return false;
  for (let i = 0; i < s.length; i++) {
    if (!isNameChar(s.charCodeAt(i))) return false;
  }
  return true;
}

/**
 * Whether `s` is a valid listing pattern (spec §2.2): the empty string and `*` are valid; otherwise at most 80 bytes of
 * the name characters plus `*` as the last character only, not starting or ending with `-`, and not `_` alone.
 * The rules apply to the pattern as written: `a-*` is valid (it ends in `*`), `-*` and `*-*` are not.
 *
 * @returns `false` for anything else, including non-strings. Never throws.
 */
export function isValidPattern(s: string): boolean {
  if (typeof s !== 'string') return false;
  if (s === '' || s === '*') return true;
  if (s.length > MAX_NAME_LENGTH || s === '_') return false;
  const last = s.length - 1;
  if (s.charCodeAt(0) === HYPHEN || s.charCodeAt(last) === HYPHEN) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isNameChar(c) && !(c === STAR && i === last)) return false;
  }
  return true;
}
