/**
 * Listings of keys, policies and identities: the JSON form `{"names"|"identities":[…],"continue_at":"…"}` and the
 * legacy ndjson form (`Content-Type: application/x-ndjson`, one `{"name":…}` / `{"identity":…}` per line, an
 * `{"error":…}` line on failure) that pre-2023-10 servers send (spec §2.3; `kms-go kes/iter.go`).
 */
import { KesClientError } from './errors.js';
import { asArray, asObject, field, invalid, parseJson, str, type Where } from './json.js';
import type { ListPage, Listing } from './types.js';

/** Which field carries the names: `names` (keys, policies) or `identities`. */
export type ListKind = 'names' | 'identities';

/**
 * Parses a legacy ndjson listing body. Key/policy names are sorted (as the Go SDK does), identities keep their order.
 * @throws KesClientError `HTTP` (status 200) with the server's text for an `{"error":…}` line; `INVALID_RESPONSE`
 *   for a line that is not a JSON object.
 */
export function parseLegacyListing(body: string, kind: ListKind, where: Where): ListPage {
  const key = kind === 'names' ? 'name' : 'identity';
  const names: string[] = [];
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue;
    const o = asObject(parseJson(Buffer.from(line), where), where);
    const error = str(o, 'error', where);
    if (error !== '') throw new KesClientError('HTTP', 200, error, { endpoint: where.endpoint });
    names.push(str(o, key, where));
  }
  if (kind === 'names') names.sort();
  return { names, continueAt: '' };
}

/**
 * Parses a JSON listing body. @throws KesClientError `INVALID_RESPONSE` when the shape is wrong.
 */
export function parseJsonListing(body: Uint8Array, kind: ListKind, where: Where): ListPage {
  const o = asObject(parseJson(body, where), where);
  const raw = field(o, kind);
  const list = raw === undefined || raw === null ? [] : asArray(raw, where);
  if (!list.every((n) => typeof n === 'string')) throw invalid(where, `'${kind}' is not a list of strings`);
  return { names: list as string[], continueAt: str(o, 'continue_at', where) };
}

/**
 * A lazy {@link Listing} over `fetchPage(prefix)`. Pagination follows the Go SDK: the next page is requested with the
 * previous page's `continue_at` as prefix (the protocol has no other cursor), names already seen or outside the
 * original prefix are skipped, and iteration stops when a page brings nothing new or `continue_at` is empty.
 */
export class PagedListing implements Listing {
  constructor(
    private readonly prefix: string,
    private readonly fetchPage: (prefix: string) => Promise<ListPage>,
  ) {}

  async *pages(): AsyncGenerator<ListPage> {
    const literal = this.prefix.endsWith('*') ? this.prefix.slice(0, -1) : this.prefix;
    let request = this.prefix;
    let last: string | undefined;
    for (;;) {
      const page = await this.fetchPage(request);
      const fresh = last === undefined ? page.names : page.names.filter((n) => n > (last as string) && n.startsWith(literal));
      if (fresh.length > 0) last = fresh.reduce((a, b) => (b > a ? b : a));
      const next = page.continueAt;
      const more = next !== '' && next !== request && fresh.length > 0;
      yield { names: fresh, continueAt: more ? next : '' };
      if (!more) return;
      request = next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for await (const page of this.pages()) yield* page.names;
  }

  async all(): Promise<string[]> {
    const out: string[] = [];
    for await (const name of this) out.push(name);
    return out;
  }
}
