/**
 * Request-target handling the way Go's `net/http` and `ServeMux` (Go ≥ 1.22) do it (spec §1.2 step 1):
 * the escaped path is cleaned (`//`, `/./`, `/../`) — a request for an unclean path is redirected — and matching and
 * handlers see the percent-decoded path, so `%2A` is `*` while `..%2F` is not a path separator but part of a name.
 */

/** A request target split into its escaped path and raw query. */
export interface RequestTarget {
  /** The path as sent (still percent-escaped), `/` when empty. */
  escapedPath: string;
  /** The raw query without `?` (`''` when absent). */
  rawQuery: string;
}

/**
 * Splits a request target (`req.url`): origin form `/p?q`, or absolute form `https://host/p?q` (its path is taken).
 * @returns `undefined` for anything else (e.g. `*`), which the caller answers with 404.
 */
export function splitTarget(url: string): RequestTarget | undefined {
  let target = url;
  if (!target.startsWith('/')) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
    if (m === null) return undefined;
    target = target.slice(m[0].length) || '/';
    if (!target.startsWith('/')) target = `/${target}`;
  }
  const q = target.indexOf('?');
  const escapedPath = q < 0 ? target : target.slice(0, q);
  return { escapedPath: escapedPath === '' ? '/' : escapedPath, rawQuery: q < 0 ? '' : target.slice(q + 1) };
}

/**
 * Go's `net/http` `cleanPath`: `path.Clean` on a rooted path (collapse `//`, drop `.` elements, resolve `..`, never
 * above the root), keeping a trailing slash. Works on the escaped form, so `%2F` and `%2E` are ordinary characters.
 * Never throws.
 */
export function cleanPath(p: string): string {
  if (p === '') return '/';
  // already clean: rooted, no empty element, no element starting with '.' (the common case, without allocating)
  if (p.charCodeAt(0) === 0x2f && !p.includes('//') && !p.includes('/.')) return p;
  const rooted = p.startsWith('/') ? p : `/${p}`;
  const out: string[] = [];
  for (const element of rooted.split('/')) {
    if (element === '' || element === '.') continue;
    if (element === '..') out.pop();
    else out.push(element);
  }
  let clean = `/${out.join('/')}`;
  if (rooted.endsWith('/') && clean !== '/') clean += '/';
  return clean;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Percent-decodes a path or path segment like Go's `url.PathUnescape`: every `%` must start a two-hex-digit escape,
 * `+` stays `+`; the bytes are read as UTF-8 (invalid sequences become U+FFFD, as Go's JSON encoder would print them).
 * @returns the decoded text, or `undefined` when an escape is malformed.
 */
export function unescapePath(escaped: string): string | undefined {
  if (!escaped.includes('%')) return escaped;
  const input = Buffer.from(escaped, 'utf8');
  const out = Buffer.allocUnsafe(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c !== 0x25) {
      out[n++] = c;
      continue;
    }
    const hi = i + 1 < input.length ? hexValue(input[i + 1]!) : -1;
    const lo = i + 2 < input.length ? hexValue(input[i + 2]!) : -1;
    if (hi < 0 || lo < 0) return undefined;
    out[n++] = hi * 16 + lo;
    i += 2;
  }
  return out.subarray(0, n).toString('utf8');
}
