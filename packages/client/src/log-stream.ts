/**
 * Live ndjson log streams (`/v1/log/audit`, `/v1/log/error`; spec §9.1–§9.2): one JSON object per line, decoded as
 * it arrives.
 */
import type { IncomingMessage } from 'node:http';
import { KesClientError } from './errors.js';
import { asObject, field, invalid, num, parseJson, str, type Where } from './json.js';
import type { AuditEvent, ErrorEvent, LogStream } from './types.js';

/** Longest accepted line (bytes); a longer line is an `INVALID_RESPONSE`. */
export const MAX_LOG_LINE = 1 << 20;

/** Decodes one audit line (`{"time","request":{"ip","path","identity"},"response":{"code","time"}}`). */
export function decodeAuditEvent(v: unknown, where: Where): AuditEvent {
  const o = asObject(v, where);
  const req = asObject(field(o, 'request') ?? {}, where);
  const res = asObject(field(o, 'response') ?? {}, where);
  const event: AuditEvent = {
    time: str(o, 'time', where),
    request: { path: str(req, 'path', where), identity: str(req, 'identity', where) },
    response: { code: num(res, 'code', where), time: num(res, 'time', where) },
  };
  const ip = str(req, 'ip', where);
  if (ip !== '') event.request.ip = ip;
  return event;
}

/** Decodes one error line (`{"message":"…"}`). */
export function decodeErrorEvent(v: unknown, where: Where): ErrorEvent {
  return { message: str(asObject(v, where), 'message', where) };
}

/**
 * Wraps a 200 answer's body as a {@link LogStream}. `close()` or an abort of `signal` destroys the connection and
 * ends iteration quietly; a malformed line throws `INVALID_RESPONSE`, a broken connection `UNREACHABLE`.
 */
export class NdjsonLogStream<T> implements LogStream<T> {
  private closed = false;

  constructor(
    private readonly body: IncomingMessage,
    private readonly decode: (v: unknown, where: Where) => T,
    private readonly where: Where,
    signal?: AbortSignal,
  ) {
    if (signal !== undefined) {
      if (signal.aborted) this.close();
      else signal.addEventListener('abort', () => this.close(), { once: true });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.body.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    let pending: Buffer = Buffer.alloc(0);
    try {
      for await (const chunk of this.body as AsyncIterable<Buffer>) {
        pending = pending.byteLength === 0 ? chunk : Buffer.concat([pending, chunk]);
        let nl: number;
        while ((nl = pending.indexOf(0x0a)) >= 0) {
          const line = pending.subarray(0, nl);
          pending = pending.subarray(nl + 1);
          if (line.toString('utf8').trim() !== '') yield this.decode(parseJson(line, this.where), this.where);
        }
        if (pending.byteLength > MAX_LOG_LINE) throw invalid(this.where, 'log line too long');
      }
      if (pending.toString('utf8').trim() !== '') yield this.decode(parseJson(pending, this.where), this.where);
    } catch (err) {
      if (this.closed) return;
      if (err instanceof KesClientError) throw err;
      throw new KesClientError('UNREACHABLE', 0, `log stream from ${this.where.endpoint} broke: ${(err as Error).message}`, {
        endpoint: this.where.endpoint,
        cause: err,
      });
    } finally {
      this.close();
    }
  }
}
