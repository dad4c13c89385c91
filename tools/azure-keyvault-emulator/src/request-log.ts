/** A bounded in-memory log of the requests one vault served (for tests and the admin endpoint). */

/** One served request. Never contains bodies, tokens or secret values. */
export interface RequestLogEntry {
  /** Milliseconds since the epoch. */
  time: number;
  method: string;
  /** Path and query as received. */
  url: string;
  status: number;
  /** Whether the request carried a valid bearer token. */
  authenticated: boolean;
  /** `error.innererror.code` or `error.code` of an error answer. */
  errorCode?: string;
}

/** Keeps the last `capacity` entries. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly capacity = 1000) {}

  /** Appends an entry, dropping the oldest beyond capacity. */
  add(e: RequestLogEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** A copy of the entries, oldest first. */
  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Forgets everything. */
  clear(): void {
    this.entries = [];
  }
}
