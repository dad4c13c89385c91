import type { Input } from './input.js';

/** One request as the emulator logged it (secret values redacted). */
export interface RequestLogEntry {
  /** Epoch ms on the emulator's clock. */
  readonly time: number;
  readonly method: string;
  /** The operation of `X-Amz-Target`, or the raw header (or `undefined`) when it named none. */
  readonly operation: string | undefined;
  /** HTTP status answered; 0 when the connection was reset or the response was dropped. */
  readonly status: number;
  /** `__type` of an error answer. */
  readonly errorCode?: string;
  /** The SDK's `amz-sdk-request` header (`attempt=N; max=M`), if sent. */
  readonly attempt?: string;
  /** The request body with `SecretString`/`SecretBinary` replaced by `"[redacted]"`. */
  readonly input?: Input;
}

/** A copy of `input` without secret values (never log key material). */
export function redact(input: Input): Input {
  const copy: Record<string, unknown> = { ...input };
  for (const field of ['SecretString', 'SecretBinary']) if (field in copy) copy[field] = '[redacted]';
  return copy;
}

/** A bounded in-memory request log (oldest entries dropped first). */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  /** @param capacity - how many entries are kept. */
  constructor(readonly capacity: number) {}

  /** Appends an entry, dropping the oldest beyond the capacity. */
  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
  }

  /** The logged requests, oldest first (a copy). */
  entries(): RequestLogEntry[] {
    return [...this.#entries];
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.length = 0;
  }
}
