/**
 * The rules the connection tracker applies to HTTP/2 sessions on top of the transport timeouts — pure functions of a
 * record and the time, so they are tested without sockets:
 *
 * - the reset budget ({@link ResetBudget}): streams the client (or the HTTP/2 layer) cancels cost a token each; a
 *   session that cancels more than a burst plus a steady rate per second is an HTTP/2 rapid reset attack
 *   (CVE-2023-44487) and is closed with GOAWAY ENHANCE_YOUR_CALM — every cancelled stream has already cost the server
 *   the work of starting it, and other clients must keep being served;
 * - the liveness probe ({@link probeStep}): Node's HTTP/2 layer can end a session on its own (a connection error such
 *   as a frame on the wrong stream, or nghttp2's own reset flood limit) with a GOAWAY and then simply stop reading it,
 *   without telling anyone: the session, its streams and its socket would stay open — in CLOSE-WAIT once the client
 *   leaves — until the idle timeout, or forever if a stream was open. So a session that has gone quiet after some
 *   activity is sent one PING; a live client answers it at once, a session Node gave up on never does (it no longer
 *   reads), and is destroyed when the answer is overdue.
 */

/** Streams a session may cancel at once (the token bucket's size). */
export const RESET_BURST = 200;
/** Streams a session may cancel per second in the long run (the bucket's refill rate). */
export const RESETS_PER_SECOND = 100;

/** A token bucket of cancelled streams for one session. Times are `performance.now()` milliseconds. */
export class ResetBudget {
  #tokens: number;
  #at: number;

  constructor(
    now: number,
    readonly burst: number = RESET_BURST,
    readonly perSecond: number = RESETS_PER_SECOND,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Spends one token at `now`. @returns false when the budget is exhausted (the session is over its limit). */
  take(now: number): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + (Math.max(0, now - this.#at) * this.perSecond) / 1000);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** How long a session must have read nothing before it is probed. */
export const PROBE_QUIET_MS = 1_000;

/** The probe's record of one session. */
export interface ProbeState {
  /** Bytes read from the session's socket at the last sweep, and when that count last changed. */
  readMark: number;
  quietSince: number;
  /** Bytes read when the last probe was answered: a quiet session is probed again only after reading more. */
  answeredAt: number;
  /** When the PING in flight was sent (0: none in flight). */
  probeSentAt: number;
}

/** A fresh record for a session whose socket has read `read` bytes at `now` (not probed before it reads more). */
export function newProbeState(read: number, now: number): ProbeState {
  return { readMark: read, quietSince: now, answeredAt: read, probeSentAt: 0 };
}

/**
 * One sweep of the probe for a session whose socket has read `read` bytes at `now`: `'probe'` to send a PING now
 * (then call {@link probeSent}), `'dead'` when the PING in flight is older than `answerTimeoutMs`, else `undefined`.
 * Updates the quiet bookkeeping of `state`. Never throws.
 */
export function probeStep(state: ProbeState, read: number, now: number, answerTimeoutMs: number): 'probe' | 'dead' | undefined {
  if (read !== state.readMark) {
    state.readMark = read;
    state.quietSince = now;
  }
  if (state.probeSentAt !== 0) return now - state.probeSentAt > answerTimeoutMs ? 'dead' : undefined;
  if (read > state.answeredAt && now - state.quietSince >= PROBE_QUIET_MS) return 'probe';
  return undefined;
}

/** Records a PING sent at `now`. */
export function probeSent(state: ProbeState, now: number): void {
  state.probeSentAt = now;
}

/** Records the PING's answer, with `read` bytes read by then. */
export function probeAnswered(state: ProbeState, read: number): void {
  state.probeSentAt = 0;
  state.answeredAt = read;
}
