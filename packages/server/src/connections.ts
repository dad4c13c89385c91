/**
 * Every connection of a server from TCP accept to close, with the transport limits of {@link ServerLimits}:
 *
 * - a connection moves through the phases `handshake` → `fresh` (TLS done, no request yet) → `busy` (requests or
 *   HTTP/2 streams in flight) ⇄ `idle` (keep-alive); a periodic sweep closes connections whose handshake, first
 *   request head, next request head (HTTP/1.1, once its first byte arrived) or keep-alive period took too long;
 * - at `maxConnections` a new connection replaces the connection without a request in flight that used the largest
 *   share of its phase's time budget; when all are busy the new connection is closed — so idle or slow clients
 *   cannot hold every slot;
 * - HTTP/2 sessions also have a budget of cancelled streams (rapid reset: over it they are closed with GOAWAY
 *   ENHANCE_YOUR_CALM) and a liveness probe that finds sessions Node's HTTP/2 layer ended on its own and left open
 *   (see limits/session-guard.ts);
 * - `shutdown` drains: HTTP/2 sessions get a GOAWAY and finish their streams, idle HTTP/1.1 connections are closed at
 *   once and busy ones after their request, and whatever is left when the drain period ends is destroyed.
 */
import { constants as h2constants, type Http2SecureServer, type Http2Stream, type ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { resetByServer, type HttpRequest, type HttpResponse } from './http/types.js';
import { expiry, pickVictim, type Phase } from './limits/connection-policy.js';
import { DEFAULT_LIMITS, type ServerLimits } from './limits/server-limits.js';
import { closeConnection, sendProbe } from './limits/connection-actions.js';
import { newProbeState, probeStep, ResetBudget, type ProbeState } from './limits/session-guard.js';

/**
 * Why the server closed a connection on its own: a transport timeout, the connection cap, an HTTP/2 session that
 * cancelled too many streams (`reset-flood`), or one that no longer answers — Node's HTTP/2 layer gave up on it
 * (`unresponsive`).
 */
export type DropReason = 'handshake-timeout' | 'header-timeout' | 'idle-timeout' | 'evicted' | 'rejected' | 'reset-flood' | 'unresponsive';

/** Called for every connection the server closes on its own (for logs and metrics). Must not throw. */
export type DropListener = (reason: DropReason, ip: string | undefined) => void;

/** @internal The tracker's record of one connection. */
export interface Conn {
  readonly raw: Socket;
  tls: TLSSocket | undefined;
  session: ServerHttp2Session | undefined;
  phase: Phase;
  /** `performance.now()` when the phase began. */
  since: number;
  /** Requests (HTTP/1.1) or streams (HTTP/2) in flight. */
  active: number;
  /** HTTP/1.1 idle: plaintext bytes read when the connection went idle, and when more were first seen (0 = not yet). */
  bytesAtIdle: number;
  headAt: number;
  /** HTTP/2: the liveness probe's record and the budget of cancelled streams. */
  probe: ProbeState | undefined;
  resets: ResetBudget | undefined;
  /** What its responses and streams are tagged with (made on the first request: no object per request). */
  tag: ConnTag | undefined;
}

/** The connection of a response or stream, set when its request starts (avoids a closure per request). */
const CONN = Symbol('kes.connection');

interface ConnTag {
  readonly conn: Conn;
  readonly tracker: ConnectionTracker;
}

interface Tagged {
  [CONN]?: ConnTag;
}

/** `close` listener shared by every response and stream (`this` is the emitter). */
function onRequestClosed(this: Tagged): void {
  const tag = this[CONN];
  if (tag === undefined) return;
  this[CONN] = undefined;
  tag.tracker.requestEnded(tag.conn);
}

/** `close` listener shared by every HTTP/2 stream: cancelled streams count against the session's reset budget. */
function onStreamClosed(this: Http2Stream & Tagged): void {
  const tag = this[CONN];
  if (tag === undefined) return;
  if (this.rstCode !== h2constants.NGHTTP2_NO_ERROR && !resetByServer(this)) tag.tracker.streamCancelled(tag.conn);
  onRequestClosed.call(this);
}

/** Tracks the connections of one server and enforces the transport limits. */
export class ConnectionTracker {
  readonly #conns = new Map<Socket, Conn>();
  readonly #byTls = new WeakMap<TLSSocket, Conn>();
  readonly #bySession = new WeakMap<ServerHttp2Session, Conn>();
  readonly #dropped = new WeakSet<Socket>();
  readonly #onDrop: DropListener;
  #limits: ServerLimits;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #closing = false;

  /**
   * @param limits - the limits to enforce (replaceable with {@link setLimits}).
   * @param onDrop - told about every connection the tracker closes.
   */
  constructor(limits: ServerLimits = DEFAULT_LIMITS, onDrop: DropListener = () => undefined) {
    this.#limits = limits;
    this.#onDrop = onDrop;
  }

  /** Starts tracking `server`'s connections and the periodic sweep. Call before other `request` listeners. */
  attach(server: Http2SecureServer): void {
    server.on('connection', (raw: Socket) => this.#accepted(raw));
    server.on('secureConnection', (tls: TLSSocket) => this.#secured(tls));
    server.on('session', (session: ServerHttp2Session) => this.#session(session));
    server.on('stream', (stream: Http2Stream) => this.#stream(stream));
    server.on('request', (req: HttpRequest, res: HttpResponse) => {
      if (req.httpVersionMajor !== 2) this.#request(req, res);
    });
    this.#startSweep();
  }

  /** Replaces the limits; the new ones apply to every connection from the next sweep on. */
  setLimits(limits: ServerLimits): void {
    this.#limits = limits;
    this.#startSweep();
  }

  /**
   * Whether the tracker closed `socket` (a TLS socket or its TCP socket) because of a limit — its TLS error
   * (`socket hang up`) is then no handshake failure of its own. Never throws.
   */
  closedByLimit(socket: Socket): boolean {
    return this.#dropped.has(socket) || this.#dropped.has((socket as TLSSocket & { _parent?: Socket })._parent ?? socket);
  }

  /** Number of open connections (including those still in the TLS handshake). */
  get size(): number {
    return this.#conns.size;
  }

  /**
   * Closes every connection: sessions gracefully, idle HTTP/1.1 sockets now, busy ones when their request is done;
   * after `drainMs` everything left is destroyed. Resolves when no connection is left.
   */
  async shutdown(drainMs: number): Promise<void> {
    this.#closing = true;
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    for (const conn of this.#conns.values()) {
      if (conn.session !== undefined) conn.session.close();
      else if (conn.tls === undefined) conn.raw.destroy();
      else if (conn.active === 0 && conn.tls.alpnProtocol !== 'h2') conn.tls.end();
    }
    const deadline = Date.now() + drainMs;
    while (this.#conns.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const conn of this.#conns.values()) {
      conn.session?.destroy();
      conn.tls?.destroy();
      conn.raw.destroy();
    }
    while (this.#conns.size > 0) await new Promise((r) => setTimeout(r, 5));
  }

  // --- Internal helpers ---

  #accepted(raw: Socket): void {
    if (this.#closing) {
      raw.destroy();
      return;
    }
    if (this.#conns.size >= this.#limits.maxConnections) {
      const victim = pickVictim(this.#conns.values(), this.#limits, performance.now());
      if (victim === undefined) {
        this.#onDrop('rejected', raw.remoteAddress);
        raw.destroy();
        return;
      }
      this.#drop(victim, 'evicted');
    }
    const conn = newConn(raw, undefined, 'handshake');
    this.#conns.set(raw, conn);
    raw.once('close', () => this.#conns.delete(raw));
  }

  #secured(tls: TLSSocket): void {
    const raw = (tls as TLSSocket & { _parent?: Socket })._parent ?? tls;
    let conn = this.#conns.get(raw);
    if (conn === undefined) {
      // Not seen at accept (no `_parent`): track it from here on.
      conn = newConn(raw, tls, 'fresh');
      this.#conns.set(raw, conn);
      raw.once('close', () => this.#conns.delete(raw));
    }
    conn.tls = tls;
    this.#byTls.set(tls, conn);
    if (conn.phase === 'handshake') this.#enter(conn, 'fresh');
    if (this.#closing) tls.destroy();
  }

  /** Runs before {@link #secured} (the HTTP/2 server creates the session first); `session.socket` is a proxy. */
  #session(session: ServerHttp2Session): void {
    const raw = (session.socket as unknown as { _parent?: Socket } | undefined)?._parent;
    const conn = raw === undefined ? undefined : this.#conns.get(raw);
    if (conn === undefined) return;
    conn.session = session;
    const now = performance.now();
    conn.probe = newProbeState(conn.tls?.bytesRead ?? 0, now);
    conn.resets = new ResetBudget(now);
    this.#bySession.set(session, conn);
    if (this.#closing) session.close();
  }

  #stream(stream: Http2Stream): void {
    const session = stream.session;
    const conn = session === undefined ? undefined : this.#bySession.get(session as ServerHttp2Session);
    if (conn === undefined) return;
    this.#started(conn);
    (stream as unknown as Tagged)[CONN] = (conn.tag ??= { conn, tracker: this });
    stream.on('close', onStreamClosed);
  }

  /** @internal A stream of `conn` was cancelled by the client (or the HTTP/2 layer): spends from its reset budget. */
  streamCancelled(conn: Conn): void {
    if (conn.phase === 'closing' || conn.resets === undefined || conn.resets.take(performance.now())) return;
    conn.phase = 'closing';
    // not from inside the HTTP/2 layer's receive loop, which may still be delivering this session's frames
    setImmediate(() => this.#drop(conn, 'reset-flood'));
  }

  #request(req: HttpRequest, res: HttpResponse): void {
    const conn = this.#byTls.get(req.socket as TLSSocket);
    if (conn === undefined) return;
    this.#started(conn);
    (res as unknown as Tagged)[CONN] = (conn.tag ??= { conn, tracker: this });
    res.on('close', onRequestClosed);
  }

  #started(conn: Conn): void {
    conn.active++;
    if (conn.phase !== 'closing') conn.phase = 'busy';
  }

  /** @internal A request or stream of `conn` is done (called by the shared `close` listener). */
  requestEnded(conn: Conn): void {
    conn.active--;
    if (conn.active > 0 || conn.phase === 'closing') return;
    if (this.#closing) {
      if (conn.session === undefined) conn.tls?.end();
      return;
    }
    this.#enter(conn, 'idle');
    conn.bytesAtIdle = conn.tls?.bytesRead ?? 0;
    conn.headAt = 0;
  }

  #enter(conn: Conn, phase: Phase): void {
    conn.phase = phase;
    conn.since = performance.now();
  }

  #startSweep(): void {
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    if (this.#closing) return;
    const { handshakeTimeoutMs, headerTimeoutMs } = this.#limits;
    const period = Math.max(25, Math.min(1_000, Math.floor(Math.min(handshakeTimeoutMs, headerTimeoutMs) / 5)));
    this.#sweeper = setInterval(() => this.#sweep(), period);
    this.#sweeper.unref();
  }

  #sweep(): void {
    const now = performance.now();
    for (const conn of this.#conns.values()) {
      // HTTP/1.1 keep-alive: bytes of a next request arrived — its head is due within the header timeout
      if (conn.phase === 'idle' && conn.session === undefined && conn.headAt === 0 && (conn.tls?.bytesRead ?? 0) > conn.bytesAtIdle) conn.headAt = now;
      const missed = expiry(conn, this.#limits, now);
      if (missed !== undefined) this.#drop(conn, missed);
      else if (conn.probe !== undefined && (conn.phase === 'busy' || conn.phase === 'idle')) this.#probe(conn, conn.probe, now);
    }
  }

  /** The liveness probe of an HTTP/2 session (limits/session-guard.ts). */
  #probe(conn: Conn, probe: ProbeState, now: number): void {
    const read = () => conn.tls?.bytesRead ?? 0;
    const step = probeStep(probe, read(), now, this.#limits.headerTimeoutMs);
    if (step === 'dead') this.#drop(conn, 'unresponsive');
    else if (step === 'probe') sendProbe(conn.session!, probe, read, now);
  }

  #drop(conn: Conn, reason: DropReason): void {
    conn.phase = 'closing';
    this.#dropped.add(conn.raw);
    this.#onDrop(reason, conn.raw.remoteAddress);
    closeConnection(conn, reason);
  }
}

function newConn(raw: Socket, tls: TLSSocket | undefined, phase: Phase): Conn {
  return { raw, tls, session: undefined, phase, since: performance.now(), active: 0, bytesAtIdle: 0, headAt: 0, probe: undefined, resets: undefined, tag: undefined };
}
