/**
 * List paging (shared/spec/azure-keyvault.md §2.3): `maxresults` 1–25 (default 25), absolute `nextLink` carrying
 * an opaque `$skiptoken`, `nextLink: null` on the last page, and optionally the real service's empty pages.
 */
import { MAX_PAGE_SIZE } from './constants.js';
import { VaultErrors } from './errors.js';

/** Decoded `$skiptoken`: item offset and empty pages still to serve before it. */
export interface SkipToken {
  offset: number;
  empties: number;
}

/** A validated page request. */
export interface PageRequest {
  maxResults: number;
  /** Whether the client sent `maxresults` (then it is repeated in nextLink). */
  maxResultsGiven: boolean;
  /** Undefined on the first page. */
  token: SkipToken | undefined;
}

/** Encodes a skip token as base64url JSON. */
export function encodeSkipToken(t: SkipToken): string {
  return Buffer.from(JSON.stringify({ o: t.offset, e: t.empties })).toString('base64url');
}

/**
 * Decodes a skip token issued by {@link encodeSkipToken}.
 * @returns undefined for anything else (never throws).
 */
export function decodeSkipToken(text: string): SkipToken | undefined {
  if (text.length === 0 || text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { o, e } = parsed as Record<string, unknown>;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= 1e9;
  if (!ok(o) || !ok(e) || Object.keys(parsed).length !== 2) return undefined;
  return { offset: o, empties: e };
}

/**
 * Reads `maxresults` and `$skiptoken` from the query.
 * @throws VaultError 400 for a bad `maxresults` or a foreign `$skiptoken`.
 */
export function parsePageRequest(query: URLSearchParams): PageRequest {
  const raw = query.get('maxresults');
  let maxResults = MAX_PAGE_SIZE;
  if (raw !== null) {
    if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE_SIZE) throw VaultErrors.invalidMaxResults(raw);
    maxResults = Number(raw);
  }
  const rawToken = query.get('$skiptoken');
  let token: SkipToken | undefined;
  if (rawToken !== null) {
    token = decodeSkipToken(rawToken);
    if (!token) throw VaultErrors.invalidSkipToken();
  }
  return { maxResults, maxResultsGiven: raw !== null, token };
}

/**
 * Cuts one page out of `items`.
 * @param emptyPages knob: empty pages to serve before the first real page (first request only).
 * @param link builds the absolute nextLink for a token.
 * @returns `{value, nextLink}` with `nextLink: null` on the last page.
 */
export function paginate<T>(
  items: readonly T[],
  req: PageRequest,
  emptyPages: number,
  link: (token: string) => string,
): { value: T[]; nextLink: string | null } {
  const t = req.token ?? { offset: 0, empties: emptyPages };
  if (t.empties > 0) return { value: [], nextLink: link(encodeSkipToken({ offset: t.offset, empties: t.empties - 1 })) };
  const end = t.offset + req.maxResults;
  const value = items.slice(t.offset, end);
  return { value, nextLink: end < items.length ? link(encodeSkipToken({ offset: end, empties: 0 })) : null };
}

/** Builds a nextLink: `<base><path>?api-version=<v>&$skiptoken=<t>[&maxresults=<n>]` (like the real service). */
export function nextLinkBuilder(base: string, path: string, apiVersion: string, req: PageRequest): (token: string) => string {
  return (token) =>
    `${base}${path}?api-version=${encodeURIComponent(apiVersion)}&$skiptoken=${token}` +
    (req.maxResultsGiven ? `&maxresults=${req.maxResults}` : '');
}
