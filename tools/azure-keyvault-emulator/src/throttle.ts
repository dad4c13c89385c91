/**
 * The runtime side of the `throttle` knob: decides, per authenticated request, whether to answer 429.
 * Throttled requests do not count toward the rate window (as on the real service, §2.7).
 */
import type { ThrottleKnob } from './knobs.js';

/** Decision for one request. */
export type ThrottleDecision = { throttled: false } | { throttled: true; retryAfterSeconds: number | undefined };

/** Counters of one vault's throttle; reset whenever the knob changes. */
export class Throttler {
  private served = 0;
  private rejected = 0;
  private window: number[] = [];

  constructor(private knob: ThrottleKnob | null) {}

  /** Replaces the knob and resets all counters. */
  reset(knob: ThrottleKnob | null): void {
    this.knob = knob;
    this.served = 0;
    this.rejected = 0;
    this.window = [];
  }

  /** Number of 429 answers since the last reset. */
  get throttledCount(): number {
    return this.rejected;
  }

  /**
   * Records one request at time `now` (ms) and decides.
   * @returns whether to answer 429, with the Retry-After to send (undefined → no header).
   */
  check(now: number): ThrottleDecision {
    const k = this.knob;
    if (!k) return { throttled: false };
    if (k.times !== undefined && this.rejected >= k.times) return this.pass(now);
    let throttle: boolean;
    if (k.rate) {
      const from = now - k.rate.windowMs;
      this.window = this.window.filter((t) => t > from);
      throttle = this.window.length >= k.rate.limit;
    } else {
      throttle = true;
    }
    if (k.afterRequests !== undefined && this.served < k.afterRequests) throttle = false;
    if (!throttle) return this.pass(now);
    this.rejected++;
    return { throttled: true, retryAfterSeconds: k.retryAfterSeconds };
  }

  private pass(now: number): ThrottleDecision {
    this.served++;
    if (this.knob?.rate) this.window.push(now);
    return { throttled: false };
  }
}
