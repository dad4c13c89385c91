/**
 * The rules the connection tracker applies to its records: which deadline a connection has missed (handshake,
 * request head, keep-alive), and which connection gives way to a newcomer at the connection cap. Pure functions of a
 * record, the limits and the time, so they are tested without sockets.
 */
import type { ServerLimits } from './server-limits.js';

/** Where a connection is in its life. */
export type Phase = 'handshake' | 'fresh' | 'busy' | 'idle' | 'closing';

/** What the rules look at (the tracker's record has more). Times are `performance.now()` milliseconds. */
export interface ConnTiming {
  phase: Phase;
  /** When the phase began. */
  since: number;
  /** HTTP/1.1 idle: when bytes of a next request were first seen (0 = none yet). */
  headAt: number;
}

/** A deadline a connection missed. */
export type Expiry = 'handshake-timeout' | 'header-timeout' | 'idle-timeout';

/** Share of its handshake or request-head budget after which a connecting client counts as slow (for eviction). */
export const SLOW_SHARE = 0.2;

/** The deadline `conn` has missed at `now`, if any. Never throws. */
export function expiry(conn: ConnTiming, limits: ServerLimits, now: number): Expiry | undefined {
  const age = now - conn.since;
  if (conn.phase === 'handshake') return age > limits.handshakeTimeoutMs ? 'handshake-timeout' : undefined;
  if (conn.phase === 'fresh') return age > limits.headerTimeoutMs ? 'header-timeout' : undefined;
  if (conn.phase !== 'idle') return undefined;
  if (conn.headAt !== 0 && now - conn.headAt > limits.headerTimeoutMs) return 'header-timeout';
  return age > limits.idleTimeoutMs ? 'idle-timeout' : undefined;
}

/**
 * The connection to close for a newcomer at the cap, among those without a request in flight: first a slow one
 * (past {@link SLOW_SHARE} of its handshake or request-head budget; the one nearest its deadline), then the longest
 * idle keep-alive connection (its client reconnects when it needs to), then the oldest one still connecting.
 * @returns `undefined` when every connection is busy (or closing).
 */
export function pickVictim<C extends ConnTiming>(conns: Iterable<C>, limits: ServerLimits, now: number): C | undefined {
  let victim: C | undefined;
  let bestTier = Infinity;
  let bestScore = -Infinity;
  for (const conn of conns) {
    let tier: number;
    let score: number;
    if (conn.phase === 'idle' && conn.headAt === 0) {
      tier = 1;
      score = now - conn.since;
    } else if (conn.phase === 'handshake' || conn.phase === 'fresh' || conn.phase === 'idle') {
      const budget = conn.phase === 'handshake' ? limits.handshakeTimeoutMs : limits.headerTimeoutMs;
      score = (now - (conn.phase === 'idle' ? conn.headAt : conn.since)) / budget;
      tier = score >= SLOW_SHARE ? 0 : 2;
    } else continue;
    if (tier < bestTier || (tier === bestTier && score > bestScore)) {
      victim = conn;
      bestTier = tier;
      bestScore = score;
    }
  }
  return victim;
}
