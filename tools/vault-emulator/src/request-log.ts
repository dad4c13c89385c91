/** The emulator's record of answered requests, for tests that count calls (e.g. "no login flood"). */

/** One answered request. */
export interface RequestLogEntry {
  /** HTTP method; `LIST` for list reads. */
  readonly method: string;
  /** URL path including `/v1/`, without the query. */
  readonly path: string;
  /** `X-Vault-Namespace` as sent (`''` = none). */
  readonly namespace: string;
  readonly status: number;
}

/** The last {@link RequestLog.capacity} requests, oldest first. */
export class RequestLog {
  /** How many entries are kept. */
  static readonly capacity = 10_000;
  readonly #entries: RequestLogEntry[] = [];

  /** Records one request (drops the oldest beyond the capacity). */
  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > RequestLog.capacity) this.#entries.shift();
  }

  /** The recorded requests, oldest first (a copy). */
  entries(): RequestLogEntry[] {
    return [...this.#entries];
  }

  /** How many recorded requests match: `path` as a substring (e.g. `/auth/approle/login`), `method` exactly. */
  count(filter: { readonly path?: string; readonly method?: string; readonly status?: number } = {}): number {
    return this.#entries.filter(
      (e) =>
        (filter.path === undefined || e.path.includes(filter.path)) &&
        (filter.method === undefined || e.method === filter.method) &&
        (filter.status === undefined || e.status === filter.status),
    ).length;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.length = 0;
  }
}
