/**
 * The request/response pair the server handles, over HTTP/1.1 (`node:http` objects) or HTTP/2 (the `node:http2`
 * compatibility objects), and the few protocol-specific operations the pipeline needs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as h2constants, type Http2ServerRequest } from 'node:http2';
import type { TLSSocket } from 'node:tls';

/** An incoming request over either protocol. */
export type HttpRequest = IncomingMessage | Http2ServerRequest;

/** The response object of either protocol (the subset the server uses has the same shape on both). */
export type HttpResponse = Pick<
  ServerResponse,
  'headersSent' | 'writableEnded' | 'destroyed' | 'end' | 'write' | 'on' | 'once' | 'off'
> & {
  writeHead(status: number, headers?: Record<string, string | string[] | number | undefined>): unknown;
};

/** True for an HTTP/2 request. Never throws. */
export function isHttp2(req: HttpRequest): req is Http2ServerRequest {
  return 'stream' in req && req.httpVersionMajor === 2;
}

/** The TLS socket a request arrived on (the session's socket for HTTP/2). */
export function tlsSocketOf(req: HttpRequest): TLSSocket {
  if (isHttp2(req)) return req.stream.session!.socket as TLSSocket;
  return req.socket as TLSSocket;
}

/**
 * Tears the request down without an HTTP answer (spec §1.2 step 5: an expired route timeout): cancels the HTTP/2
 * stream (other streams of the session live on) or destroys the HTTP/1.1 connection. Never throws.
 */
export function tearDown(req: HttpRequest): void {
  if (isHttp2(req)) {
    if (!req.stream.destroyed && !req.stream.closed) req.stream.close(h2constants.NGHTTP2_CANCEL);
  } else {
    req.socket.destroy();
  }
}

/**
 * Headers for an error answer to a request whose body was not consumed (e.g. too large): HTTP/1.1 gets
 * `Connection: close`, so Node closes the connection once the answer is out (like Go after `MaxBytesReader` trips);
 * HTTP/2 gets none (connection headers are illegal there) and the stream is ended instead by {@link stopReceiving}.
 */
export function closeHeaders(req: HttpRequest): Record<string, string> {
  return isHttp2(req) ? {} : { connection: 'close' };
}

/**
 * Makes sure a client stops sending a body the server will not read: for HTTP/2 the stream is closed with
 * `NO_ERROR` once the answer is out (RFC 9113 §8.1); HTTP/1.1 relies on {@link closeHeaders}. Never throws.
 * (The stream's own `finish` — the compat response emits `finish` only once the stream has closed, which a client
 * still sending never lets happen. And the unread data is then discarded: Node destroys a closed stream only once its
 * readable side ended, which a paused stream with buffered data never does — its session, and the connection, would
 * stay open after the client left.)
 */
export function stopReceiving(req: HttpRequest, _res: HttpResponse): void {
  if (!isHttp2(req)) return;
  const stream = req.stream;
  stream.once('finish', () => {
    if (!stream.destroyed && !stream.closed) stream.close(h2constants.NGHTTP2_NO_ERROR);
    req.resume(); // the compat request, which pauses the stream while its own buffer is full
  });
}
