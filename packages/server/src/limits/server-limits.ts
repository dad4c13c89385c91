/**
 * Connection limits and transport timeouts (issue 8 §5): what keeps slow, idle or flooding clients from exhausting
 * file descriptors or memory while legitimate clients keep being served. Request (route) timeouts are separate: they
 * come from the route table and `api:` (spec §1.2 step 5).
 */

/** The transport limits of a server. Durations are milliseconds. */
export interface ServerLimits {
  /**
   * Most connections open at once (TCP accepted, TLS handshake included). At the cap a new connection replaces one
   * without a request in flight (the one nearest to its handshake, request-head or keep-alive deadline); when every
   * connection is busy serving a request, the new one is closed.
   */
  readonly maxConnections: number;
  /** Time a client has to complete the TLS handshake (Go: `ReadHeaderTimeout` also bounds the handshake). */
  readonly handshakeTimeoutMs: number;
  /**
   * Time a client has to send a complete request head: the first request after the handshake (HTTP/1.1: its
   * headers; HTTP/2: the first stream) and, on a keep-alive HTTP/1.1 connection, each later request once its first
   * byte arrived (Go's `ReadHeaderTimeout`, 5 s in KES).
   */
  readonly headerTimeoutMs: number;
  /** Time an idle keep-alive connection (no request in flight) stays open (Go's `IdleTimeout`, 90 s in KES). */
  readonly idleTimeoutMs: number;
  /** Largest request head in bytes (HTTP/1.1 header section; HTTP/2 header list size). */
  readonly maxHeaderBytes: number;
  /** Most concurrent HTTP/2 streams per connection (the `SETTINGS_MAX_CONCURRENT_STREAMS` the server announces). */
  readonly maxStreamsPerSession: number;
}

/** The defaults: 4096 connections, 5 s handshake and header timeouts, 90 s keep-alive, 32 KiB heads, 128 streams. */
export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  maxConnections: 4096,
  handshakeTimeoutMs: 5_000,
  headerTimeoutMs: 5_000,
  idleTimeoutMs: 90_000,
  maxHeaderBytes: 32 * 1024,
  maxStreamsPerSession: 128,
});

const BOUNDS: Readonly<Record<keyof ServerLimits, readonly [min: number, max: number]>> = {
  maxConnections: [1, 1_000_000],
  handshakeTimeoutMs: [1, 3_600_000],
  headerTimeoutMs: [1, 3_600_000],
  idleTimeoutMs: [1, 24 * 3_600_000],
  maxHeaderBytes: [1024, 16 * 1024 * 1024],
  maxStreamsPerSession: [1, 65_536],
};

/**
 * `partial` completed with {@link DEFAULT_LIMITS}.
 * @throws RangeError `invalid limit '<name>': <value> (must be an integer from <min> to <max>)` for a value that is
 *   not an integer within its bounds.
 */
export function resolveLimits(partial: Partial<ServerLimits> = {}): ServerLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(BOUNDS) as (keyof ServerLimits)[]) {
    const value = partial[name];
    if (value === undefined) continue;
    const [min, max] = BOUNDS[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`invalid limit '${name}': ${String(value)} (must be an integer from ${min} to ${max})`);
    }
    out[name] = value;
  }
  return Object.freeze(out);
}
