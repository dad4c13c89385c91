/**
 * What the connection tracker does to a connection: close it for a reason (gracefully where a GOAWAY is due, at once
 * otherwise) and send an HTTP/2 session the liveness probe of limits/session-guard.ts.
 */
import { constants as h2constants, type ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { DropReason } from '../connections.js';
import { probeAnswered, probeSent, type ProbeState } from './session-guard.js';

/** How long an HTTP/2 session may take to close after its GOAWAY before it (and its socket) is destroyed. */
export const GOAWAY_GRACE_MS = 1_000;

/** The sockets and session of one connection. */
export interface ConnectionParts {
  readonly raw: Socket;
  readonly tls: TLSSocket | undefined;
  readonly session: ServerHttp2Session | undefined;
}

/**
 * Closes `conn` because of `reason`. An HTTP/2 session past its idle timeout gets a GOAWAY NO_ERROR (its client
 * reconnects when it needs to) and one over its reset budget a GOAWAY ENHANCE_YOUR_CALM (RFC 9113 §5.4.1; the session
 * error is logged as such), each with {@link GOAWAY_GRACE_MS} to go out before everything is destroyed; anything else
 * (timeouts, eviction, a session Node's HTTP/2 layer gave up on) is destroyed at once. Never throws.
 */
export function closeConnection(conn: ConnectionParts, reason: DropReason): void {
  const { session, tls, raw } = conn;
  if (session !== undefined && (reason === 'idle-timeout' || reason === 'reset-flood')) {
    if (reason === 'idle-timeout') session.close();
    else session.destroy(new Error('too many cancelled streams (HTTP/2 rapid reset)'), h2constants.NGHTTP2_ENHANCE_YOUR_CALM);
    setTimeout(() => (session.destroy(), tls?.destroy(), raw.destroy()), GOAWAY_GRACE_MS).unref();
    return;
  }
  session?.destroy();
  tls?.destroy();
  raw.destroy();
}

/**
 * Sends `session` a PING for its liveness probe (`probe` records it; `read` tells the socket's bytes read when the
 * answer comes). A session that is already closing is left alone. Never throws.
 */
export function sendProbe(session: ServerHttp2Session, probe: ProbeState, read: () => number, now: number): void {
  if (session.closed || session.destroyed) return;
  try {
    session.ping((err) => {
      if (err === null) probeAnswered(probe, read());
    });
    probeSent(probe, now);
  } catch {
    // the session is going away on its own
  }
}
