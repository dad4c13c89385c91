/**
 * Whether a policy pattern matches a request path, with the current KES semantics (spec §4.2, KES ≥ 2023-11-09):
 * - the empty pattern never matches;
 * - a pattern ending in `*` matches iff `path` starts with the pattern minus that final `*` (byte-wise prefix, so the
 *   `*` also matches `/` and the empty suffix);
 * - any other pattern matches only the identical path (`*` elsewhere, `?`, `[` are literal characters).
 *
 * @param pattern - an `allow`/`deny` entry of a policy.
 * @param path - the decoded request path including the resource, e.g. `/v1/key/create/my-key`.
 * @returns the match result. Never throws.
 */
export function matchPolicyPattern(pattern: string, path: string): boolean {
  if (pattern === '') return false;
  if (!pattern.endsWith('*')) return pattern === path;
  const prefix = pattern.slice(0, -1);
  if (!path.startsWith(prefix)) return false;
  // A UTF-16 prefix is a UTF-8 byte prefix unless it ends in an unpaired high surrogate that `path` pairs up.
  const end = prefix.length - 1;
  return !(isHighSurrogate(prefix.charCodeAt(end)) && isLowSurrogate(path.charCodeAt(end + 1)));
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * An authorization policy (spec §4.1): a request path is rejected if any `deny` pattern matches it, else accepted if
 * any `allow` pattern matches it, else rejected. An empty policy rejects everything; deny always wins. Patterns are
 * matched with {@link matchPolicyPattern}. Immutable; the pattern arrays are copied.
 */
export class Policy {
  /** The allow patterns, in configuration order. */
  readonly allow: readonly string[];
  /** The deny patterns, in configuration order. */
  readonly deny: readonly string[];

  /** Creates a policy from its `allow` and `deny` pattern lists (each optional, default empty). Never throws. */
  constructor(spec: { allow?: readonly string[]; deny?: readonly string[] }) {
    this.allow = Object.freeze([...(spec.allow ?? [])]);
    this.deny = Object.freeze([...(spec.deny ?? [])]);
  }

  /**
   * Whether the policy permits a request to `path` (the decoded URL path, query excluded).
   *
   * @returns `true` iff no deny pattern and at least one allow pattern matches. Never throws.
   */
  verify(path: string): boolean {
    if (this.deny.some((pattern) => matchPolicyPattern(pattern, path))) return false;
    return this.allow.some((pattern) => matchPolicyPattern(pattern, path));
  }
}
