/**
 * The legitimate client of the scenarios: HTTPS requests over HTTP/1.1 (keep-alive agent) or HTTP/2 (a pool of
 * sessions, replaced when they close or receive a GOAWAY), each with a deadline, failing with a classified error kind.
 */
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { Agent, request as httpsRequest } from 'node:https';

/** How to reach a server. */
export interface Endpoint {
  readonly url: string;
  /** The server certificate (trusted as the only CA). */
  readonly ca: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** An answer. */
export interface Reply {
  readonly status: number;
  readonly body: Buffer;
}

/** A failed request: `kind` is `timeout`, a socket error code (`ECONNREFUSED`, `ECONNRESET`, …) or an HTTP/2 one. */
export class RequestError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/** The kind of a transport error (see {@link RequestError}). Never throws. */
export function errorKind(err: unknown): string {
  if (err instanceof RequestError) return err.kind;
  const e = err as { code?: string; message?: string; name?: string };
  if (e?.name === 'AbortError') return 'timeout';
  const message = e?.message ?? String(err);
  if (e?.code === 'ERR_HTTP2_STREAM_ERROR') {
    const m = /NGHTTP2_([A-Z_]+)/.exec(message);
    return `h2-stream-${(m?.[1] ?? 'error').toLowerCase()}`;
  }
  if (e?.code === 'ERR_HTTP2_GOAWAY_SESSION') return 'h2-goaway';
  if (typeof e?.code === 'string') return e.code;
  return `error: ${message.slice(0, 60)}`;
}

/** Sends requests to one endpoint. */
export interface HttpClient {
  request(method: string, path: string, body: string | undefined, timeoutMs: number): Promise<Reply>;
  close(): void;
}

/** An HTTP/1.1 client with a keep-alive agent of at most `maxSockets` connections. */
export function h1Client(ep: Endpoint, maxSockets: number): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets, ca: ep.ca, cert: ep.certPem, key: ep.keyPem });
  const { hostname, port } = new URL(ep.url);
  return {
    request(method, path, body, timeoutMs) {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
        const req = httpsRequest({ host: hostname, port, path, method, agent, headers, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', (err) => reject(new RequestError(errorKind(err), err.message)));
        });
        req.on('error', (err) => reject(new RequestError(errorKind(err), err.message)));
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** An HTTP/2 client over `sessions` connections, used round-robin. */
export function h2Client(ep: Endpoint, sessions: number): HttpClient {
  const pool: Array<ClientHttp2Session | undefined> = new Array(Math.max(1, sessions)).fill(undefined);
  let next = 0;
  const session = (): ClientHttp2Session => {
    const i = next++ % pool.length;
    let s = pool[i];
    if (s === undefined || s.closed || s.destroyed) {
      s = connect(ep.url, { ca: ep.ca, cert: ep.certPem, key: ep.keyPem });
      const mine = s;
      mine.on('error', () => undefined);
      mine.on('goaway', () => {
        if (pool[i] === mine) pool[i] = undefined;
      });
      mine.on('close', () => {
        if (pool[i] === mine) pool[i] = undefined;
      });
      pool[i] = s;
    }
    return s;
  };
  return {
    request(method, path, body, timeoutMs) {
      return new Promise((resolve, reject) => {
        let stream;
        try {
          const headers: Record<string, string> = { ':method': method, ':path': path };
          if (body !== undefined) (headers['content-type'] = 'application/json'), (headers['content-length'] = String(Buffer.byteLength(body)));
          stream = session().request(headers, { endStream: body === undefined, signal: AbortSignal.timeout(timeoutMs) });
        } catch (err) {
          reject(new RequestError(errorKind(err), (err as Error).message));
          return;
        }
        let status = 0;
        const chunks: Buffer[] = [];
        stream.on('response', (h) => (status = Number(h[':status'])));
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => (status === 0 ? reject(new RequestError('h2-no-response', 'stream ended without a response')) : resolve({ status, body: Buffer.concat(chunks) })));
        stream.on('error', (err) => reject(new RequestError(errorKind(err), err.message)));
        stream.on('close', () => {
          if (status === 0 && stream.rstCode !== undefined && stream.rstCode !== constants.NGHTTP2_NO_ERROR) {
            reject(new RequestError(stream.rstCode === constants.NGHTTP2_REFUSED_STREAM ? 'h2-stream-refused_stream' : `h2-rst-${stream.rstCode}`, 'stream reset'));
          }
        });
        if (body !== undefined) stream.end(body);
      });
    },
    close() {
      for (const s of pool) s?.destroy();
    },
  };
}
