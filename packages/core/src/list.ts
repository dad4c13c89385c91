import { DEFAULT_LIST_PAGE_SIZE, type ListResult } from './keystore.js';

/**
 * Orders two names by the byte order of their UTF-8 encodings (which is Unicode code point order), the order Go's
 * `slices.Sort` gives KES. Unlike `Array.prototype.sort()`'s default (UTF-16 code units), characters outside the BMP
 * sort after U+E000–U+FFFF here, as they do in UTF-8.
 *
 * @returns a negative number if `a` sorts first, a positive number if `b` does, 0 iff `a === b`. Never throws.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (0xD800–0xDFFF) stand for code points ≥ 0x10000: move them above 0xE000–0xFFFF.
      return x >= 0xd800 && y >= 0xd800 ? surrogateRank(x) - surrogateRank(y) : x - y;
    }
  }
  return a.length - b.length;
}

/**
 * One page of a listing, with the semantics of KES's shared list helper (`internal/keystore.List`, spec §8.1): the
 * names that start with `prefix`, sorted ascending by {@link compareNames}, at most one page of them, and the first
 * name of the next page.
 *
 * - `limit >= 1` is the page size (fractions are truncated; `Infinity` means "all"); `limit <= 0` or `NaN` means
 *   {@link DEFAULT_LIST_PAGE_SIZE} (1024).
 * - `continueAt` is the first *matching* name after the page, or `''` when the page holds the last matching name.
 *   (Upstream returns the next name even when it no longer matches the prefix if the page ends exactly at the last
 *   match; that name would make a client that re-uses `continue_at` as a prefix list foreign names, so we don't.)
 * - An empty prefix matches every name. `names` is not modified; duplicates are kept as given.
 *
 * @returns a fresh {@link ListResult}. Never throws.
 */
export function listPage(names: Iterable<string>, prefix: string, limit: number): ListResult {
  const matching: string[] = [];
  for (const name of names) {
    if (name.startsWith(prefix)) matching.push(name);
  }
  matching.sort(compareNames);
  const size = limit >= 1 ? Math.floor(limit) : DEFAULT_LIST_PAGE_SIZE;
  if (matching.length <= size) return { names: matching, continueAt: '' };
  return { names: matching.slice(0, size), continueAt: matching[size] ?? '' };
}

function surrogateRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
