/**
 * One HTTPS request to one endpoint (no retries), with a connect timeout and an AbortSignal.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { KesClientError, MAX_ERROR_BODY } from './errors.js';
import { wrapNetworkError } from './network-errors.js';

/** One HTTP request. `stream: true` hands a 200 answer's body over unread. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: Uint8Array;
  headers?: Record<string, string>;
  stream?: boolean;
  /** Largest success body accepted (bytes); larger → `INVALID_RESPONSE`. Default 1 MiB. */
  maxBody?: number;
}

/** An answer. `body` is the whole body unless `stream` was requested and the status is 200. */
export interface TransportReply {
  status: number;
  headers: IncomingHttpHeaders;
  endpoint: string;
  body: Buffer;
  stream?: IncomingMessage;
}

/** Marks errors that must neither be retried nor fail over. */
const FINAL = Symbol('final');

/** Marks `e` as final (no retry, no failover) and returns it. */
export function final(e: KesClientError): KesClientError {
  return Object.assign(e, { [FINAL]: true as const });
}

/** True iff `e` was marked {@link final}. */
export function isFinal(e: KesClientError): boolean {
  return (e as KesClientError & { [FINAL]?: true })[FINAL] === true;
}

/**
 * One request to one endpoint. Resolves with the answer (any status; the body read unless `stream` and 200).
 * Rejects with a KesClientError: network/TLS errors before the answer's headers (retryable per the caller's rules),
 * final errors after them or on abort, `INVALID_RESPONSE` for an oversized success body. Error bodies are read up
 * to 1 MiB, the rest dropped (like the Go SDK).
 */
export function sendOnce(
  agent: Agent,
  endpoint: string,
  req: TransportRequest,
  signal: AbortSignal,
  connectTimeoutMs: number,
): Promise<TransportReply> {
  return new Promise<TransportReply>((resolve, reject) => {
    if (signal.aborted) {
      reject(final(new KesClientError('ABORTED', 0, 'request aborted')));
      return;
    }
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(req.body.byteLength);
    const r = httpsRequest(new URL(req.path, endpoint), { method: req.method, agent, headers });
    let answered = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      r.destroy();
      reject(final(new KesClientError('ABORTED', 0, 'request aborted')));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
    };
    // True once this attempt completed a fresh TLS handshake: a connection dropped right after it (before any answer)
    // means the server refused our certificate (TLS 1.3 reports that after the client considers the handshake done).
    let handshaken = false;
    r.on('socket', (socket: TLSSocket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => {
        const e = Object.assign(new Error('connection timed out'), { code: 'ETIMEDOUT' });
        r.destroy(e);
      }, connectTimeoutMs);
      socket.once('secureConnect', () => {
        clearTimeout(connectTimer);
        handshaken = true;
      });
    });
    r.on('error', (err) => {
      done();
      const e = wrapNetworkError(err, endpoint, { afterHandshake: handshaken && !answered });
      reject(answered ? final(e) : e);
    });
    r.on('response', (res) => {
      answered = true;
      clearTimeout(connectTimer);
      const status = res.statusCode ?? 0;
      if (req.stream === true && status === 200) {
        signal.removeEventListener('abort', onAbort);
        resolve({ status, headers: res.headers, endpoint, body: Buffer.alloc(0), stream: res });
        return;
      }
      const limit = status === 200 ? (req.maxBody ?? MAX_ERROR_BODY) : MAX_ERROR_BODY;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size <= limit) {
          chunks.push(chunk);
          return;
        }
        done();
        if (status !== 200) {
          // Like the Go SDK: an error body is read up to 1 MiB; the rest is dropped.
          chunks.push(chunk.subarray(0, chunk.byteLength - (size - limit)));
          res.destroy();
          resolve({ status, headers: res.headers, endpoint, body: Buffer.concat(chunks) });
          return;
        }
        res.destroy();
        reject(final(new KesClientError('INVALID_RESPONSE', status, `answer from ${endpoint} exceeds ${limit} bytes`, { endpoint })));
      });
      res.on('end', () => {
        done();
        resolve({ status, headers: res.headers, endpoint, body: Buffer.concat(chunks) });
      });
      res.on('error', (err) => {
        done();
        reject(final(wrapNetworkError(err, endpoint)));
      });
      res.on('aborted', () => {
        done();
        reject(final(wrapNetworkError(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }), endpoint)));
      });
    });
    r.end(req.body === undefined ? undefined : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength));
  });
}
