/**
 * HTTP/1.1 requests Node's parser rejects before the pipeline sees them (a head beyond `limits.max_header_bytes`,
 * malformed or conflicting framing such as a duplicate `Content-Length` or `Transfer-Encoding` with
 * `Content-Length`): answered with the same bytes as Node's default (`431`, `400`, …, `Connection: close`, no body),
 * but the connection is then closed with {@link lingeringClose} instead of at once, so that a client still sending
 * reads the answer instead of a TCP reset.
 */
import type { Http2SecureServer } from 'node:http2';
import type { Socket } from 'node:net';
import { lingeringClose } from './lingering-close.js';

const answer = (status: string) => Buffer.from(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`, 'latin1');

/** Node's answers by parser error code (`_http_server.js`); anything else is a 400. */
const ANSWERS: Readonly<Record<string, Buffer>> = {
  HPE_HEADER_OVERFLOW: answer('431 Request Header Fields Too Large'),
  HPE_CHUNK_EXTENSIONS_OVERFLOW: answer('413 Payload Too Large'),
  ERR_HTTP_REQUEST_TIMEOUT: answer('408 Request Timeout'),
};
const BAD_REQUEST = answer('400 Bad Request');

/** The socket of a `clientError` event (Node's HTTP/1.1 server socket). */
type ClientSocket = Socket & { _httpMessage?: { headersSent?: boolean } | null };

/**
 * The answer to a `clientError` (`err.code` from Node's parser), or `undefined` when nothing can be answered any more:
 * the socket is gone or not writable, or an answer to the request in flight has already started. Never throws.
 */
export function clientErrorAnswer(code: string | undefined, socket: ClientSocket): Buffer | undefined {
  if (socket.destroyed || !socket.writable) return undefined;
  if (socket._httpMessage?.headersSent === true) return undefined;
  return (code === undefined ? undefined : ANSWERS[code]) ?? BAD_REQUEST;
}

/**
 * Handles `server`'s `clientError` events (which replaces Node's default handling): writes the answer, if any, and
 * closes the connection gracefully; a socket error (e.g. `ECONNRESET`) just destroys it. Never throws.
 */
export function handleClientErrors(server: Http2SecureServer): void {
  server.on('clientError', (err: Error & { code?: string }, socket: ClientSocket) => {
    const body = clientErrorAnswer(err.code, socket);
    if (body === undefined || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.write(body);
    lingeringClose(socket);
  });
}
