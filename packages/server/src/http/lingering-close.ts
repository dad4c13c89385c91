/**
 * Closing an HTTP/1.1 connection after an error answer (400, 431, …) without resetting it under the client's feet.
 *
 * A client that is still sending when the server closes makes the server's kernel answer with a TCP reset (unread
 * data in its receive buffer), and a reset makes the client's kernel drop what it has not read yet — often the
 * answer itself. So the server ends its write side first (the answer, then FIN), stops parsing (nothing sent after
 * the answer may run as a request), reads and discards what the client still sends for a short, bounded time — by
 * then the client has read the answer — and destroys the connection at the latest when that time is up (Go's server
 * lingers the same way after such an answer).
 */
import type { Socket } from 'node:net';

/** How long a closing connection may stay open to let the client read the answer. */
export const LINGER_MS = 1_000;

/** Most bytes discarded while lingering; beyond them the server stops reading (the client's writes then block). */
export const LINGER_MAX_BYTES = 1024 * 1024;

/** The parts of Node's HTTP/1.1 server socket that lingering touches (internal, stable in Node 20). */
interface ServerSocket extends Socket {
  parser?: { _consumed?: boolean; unconsume?: () => void } | null;
  destroySoon: () => void;
}

const LINGERING = new WeakSet<Socket>();

/**
 * Ends `socket` gracefully as described in the module description: pending writes (the answer) are flushed and
 * followed by FIN, the request parser is detached, input is discarded up to `maxBytes`, and the socket is destroyed
 * when the client closes its side or after `lingerMs`, whichever comes first. Idempotent; never throws.
 */
export function lingeringClose(socket: Socket, lingerMs = LINGER_MS, maxBytes = LINGER_MAX_BYTES): void {
  if (LINGERING.has(socket)) return;
  LINGERING.add(socket);
  if (socket.destroyed) return;
  const s = socket as ServerSocket;
  try {
    // Node's HTTP/1.1 server parses from a 'data' listener, or (TLS) straight from the handle: detach both.
    s.removeAllListeners('data');
    if (s.parser?._consumed === true) {
      s.parser.unconsume?.();
      s.parser._consumed = false;
    }
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy()); // the client closed its side: everything it sent was read
    socket.on('error', () => socket.destroy());
    const start = socket.bytesRead;
    socket.on('data', () => {
      if (socket.bytesRead - start > maxBytes) socket.pause();
    });
    socket.end();
    socket.resume();
  } catch {
    socket.destroy();
  }
}

/**
 * Makes Node's HTTP/1.1 server close `socket` with {@link lingeringClose} instead of at once once the current answer
 * (sent with `Connection: close`) is out: Node ends such a connection through `socket.destroySoon()`. Never throws.
 */
export function lingerAfterAnswer(socket: Socket): void {
  CLOSING_AFTER_ANSWER.add(socket);
  (socket as ServerSocket).destroySoon = () => lingeringClose(socket);
}

const CLOSING_AFTER_ANSWER = new WeakSet<Socket>();

/**
 * True once an answer on `socket` was sent (or is being sent) with `Connection: close` ({@link lingerAfterAnswer}):
 * a request the client pipelined behind it must not run (RFC 9112 §9.6 — Node's server still parses and emits it).
 * Never throws.
 */
export function closesAfterAnswer(socket: Socket): boolean {
  return CLOSING_AFTER_ANSWER.has(socket);
}
