/**
 * List patterns (spec §2.2, §2.3 with §12): `''` and `*` list everything; otherwise one trailing `*` is stripped and
 * the rest is a literal name prefix — for keys, policies and identities alike.
 */
import { Errors, isValidPattern } from '@kes/core';

/**
 * The literal prefix a valid list pattern stands for.
 * @throws KesError `INVALID_PATTERN` (400 `listing pattern '<p>' is empty, too long or is invalid`) when invalid.
 */
export function listPrefix(pattern: string): string {
  if (!isValidPattern(pattern)) throw Errors.invalidPattern(pattern);
  return pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
}
