/**
 * Connection bookkeeping for a graceful `close()`: HTTP/2 sessions get a GOAWAY and finish their streams; idle
 * HTTP/1.1 connections are closed at once, busy ones after their request; whatever is still open when the drain
 * period ends is destroyed.
 */
import type { Http2SecureServer, ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { HttpRequest } from './http/types.js';

/** Tracks the sockets, sessions and in-flight requests of one server. */
export class ConnectionTracker {
  readonly #sockets = new Set<Socket>();
  readonly #sessions = new Set<ServerHttp2Session>();
  readonly #active = new Map<Socket, number>();
  #closing = false;

  /** Starts tracking `server`'s connections. */
  attach(server: Http2SecureServer): void {
    server.on('secureConnection', (socket: Socket) => {
      if (this.#closing) {
        socket.destroy();
        return;
      }
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#active.delete(socket);
      });
    });
    server.on('session', (session: ServerHttp2Session) => {
      this.#sessions.add(session);
      session.once('close', () => this.#sessions.delete(session));
      if (this.#closing) session.close();
    });
  }

  /** Number of open connections. */
  get size(): number {
    return this.#sockets.size;
  }

  /** Marks a request in flight on its connection; call the returned function when it is answered. */
  requestStarted(req: HttpRequest): () => void {
    if ('stream' in req && req.httpVersionMajor === 2) return () => undefined;
    const socket = req.socket;
    this.#active.set(socket, (this.#active.get(socket) ?? 0) + 1);
    return () => {
      const n = (this.#active.get(socket) ?? 1) - 1;
      this.#active.set(socket, n);
      if (this.#closing && n === 0) socket.end();
    };
  }

  /**
   * Closes every connection: sessions gracefully, idle HTTP/1.1 sockets now, busy ones when their request is done;
   * after `drainMs` everything left is destroyed. Resolves when no connection is left.
   */
  async shutdown(drainMs: number): Promise<void> {
    this.#closing = true;
    for (const session of this.#sessions) session.close();
    for (const socket of this.#sockets) {
      if ((socket as TLSSocket).alpnProtocol !== 'h2' && (this.#active.get(socket) ?? 0) === 0) socket.end();
    }
    const deadline = Date.now() + drainMs;
    while (this.#sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const session of this.#sessions) session.destroy();
    for (const socket of this.#sockets) socket.destroy();
    while (this.#sockets.size > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
