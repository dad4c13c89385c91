/**
 * The request/response pair the server handles, over HTTP/1.1 (`node:http` objects) or HTTP/2 (the `node:http2`
 * compatibility objects), and the few protocol-specific operations the pipeline needs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as h2constants, type Http2ServerRequest, type Http2Stream } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { lingerAfterAnswer } from './lingering-close.js';

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
    if (!req.stream.destroyed && !req.stream.closed) {
      RESET_BY_SERVER.add(req.stream);
      req.stream.close(h2constants.NGHTTP2_CANCEL);
    }
  } else {
    req.socket.destroy();
  }
}

const RESET_BY_SERVER = new WeakSet<Http2Stream>();

/**
 * Whether the server itself cancelled `stream` ({@link tearDown}) — as opposed to the client or the HTTP/2 layer, whose
 * resets count against the session's reset budget. Never throws.
 */
export function resetByServer(stream: Http2Stream): boolean {
  return RESET_BY_SERVER.has(stream);
}

/**
 * Headers for an error answer to a request whose body was not consumed (e.g. too large): HTTP/1.1 gets
 * `Connection: close`, so Node closes the connection (gracefully, see {@link stopReceiving}) once the answer is out,
 * like Go after `MaxBytesReader` trips; HTTP/2 gets none (connection headers are illegal there) and the stream is
 * reset instead by {@link stopReceiving}.
 */
export function closeHeaders(req: HttpRequest): Record<string, string> {
  return isHttp2(req) ? {} : { connection: 'close' };
}

/**
 * Makes sure a client stops sending a body the server will not read: for HTTP/2 the stream is reset with `NO_ERROR`
 * once the complete answer is out (RFC 9113 §8.1: after the frame with END_STREAM) and the unread data is discarded;
 * HTTP/1.1 answers carry {@link closeHeaders}, and the connection is then closed with {@link lingerAfterAnswer} (FIN
 * after the answer, input discarded for a bounded time) so that a client still sending reads the answer instead of a
 * TCP reset. Call it before the answer is written (HTTP/2: or right after it). Never throws.
 *
 * When: the compat response always asks for trailers, so its last frame is submitted when Node emits `wantTrailers`
 * (its own listener queues the empty trailers with `setImmediate`); the reset follows in a later `setImmediate`, so it
 * goes out after them and never from inside nghttp2's receive or send loop. A HEAD answer ends with its HEADERS frame
 * (no trailers): it is reset on the next turn. Resetting earlier — e.g. at the stream's `finish`, when the last DATA
 * frame is still queued — loses the END_STREAM, and when the stream is then destroyed before nghttp2 packs that frame
 * (the discarded request body ends meanwhile), Node 20 aborts the whole process (`Http2Stream::OnTrailers()`:
 * `Assertion failed: !this->is_destroyed()`), found by the reliability suite's HTTP/2 fuzzer.
 * Until the reset nothing reads the request, so flow control holds the client back. The data is discarded only after
 * the reset was submitted: Node destroys a closed stream only once its readable side ended, which a paused stream with
 * buffered data never does — its session, and the connection, would stay open after the client left.
 */
export function stopReceiving(req: HttpRequest, _res: HttpResponse): void {
  if (!isHttp2(req)) {
    lingerAfterAnswer(req.socket);
    return;
  }
  if (req.method === 'HEAD') {
    setImmediate(resetAfterAnswer, req);
    return;
  }
  req.stream.once('wantTrailers', () => setImmediate(resetAfterAnswer, req));
}

/** Resets the stream of `req` with NO_ERROR (unless it is closed already) and discards what the client still sends. */
function resetAfterAnswer(req: Http2ServerRequest): void {
  const stream = req.stream;
  if (!stream.destroyed && !stream.closed) stream.close(h2constants.NGHTTP2_NO_ERROR);
  req.resume(); // the compat request, which pauses the stream while its own buffer is full
}
