import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newProbeState, PROBE_QUIET_MS, probeAnswered, probeSent, probeStep, ResetBudget } from './session-guard.js';

describe('ResetBudget', () => {
  it('allows a burst, then the steady rate, and refills while quiet', () => {
    const budget = new ResetBudget(0, 10, 5);
    for (let i = 0; i < 10; i++) expect(budget.take(0)).toBe(true);
    expect(budget.take(0)).toBe(false);
    expect(budget.take(200)).toBe(true); // 1 token after 200 ms at 5/s
    expect(budget.take(200)).toBe(false);
    expect(budget.take(10_000)).toBe(true); // refilled (capped at the burst)
    for (let i = 0; i < 9; i++) expect(budget.take(10_000)).toBe(true);
    expect(budget.take(10_000)).toBe(false);
  });

  it('never grants more than burst + rate × elapsed, and always grants a client within them (property)', () => {
    const gaps = fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 200 }), gaps, (burst, rate, steps) => {
        const budget = new ResetBudget(0, burst, rate);
        let now = 0;
        let granted = 0;
        for (const gap of steps) {
          now += gap;
          if (budget.take(now)) granted++;
        }
        expect(granted).toBeLessThanOrEqual(burst + Math.floor((rate * now) / 1000));
        // a client that stays within the rate is never refused
        const polite = new ResetBudget(0, burst, rate);
        const every = Math.ceil(1000 / rate);
        for (let i = 1; i <= steps.length; i++) expect(polite.take(i * every)).toBe(true);
      }),
    );
  });
});

describe('probeStep', () => {
  it('probes a session once it went quiet after reading, declares it dead when the answer is overdue', () => {
    const s = newProbeState(100, 0);
    expect(probeStep(s, 100, 5_000, 2_000)).toBeUndefined(); // nothing read since it was set up: the header timeout's job
    expect(probeStep(s, 500, 5_100, 2_000)).toBeUndefined(); // activity
    expect(probeStep(s, 500, 5_100 + PROBE_QUIET_MS - 1, 2_000)).toBeUndefined();
    expect(probeStep(s, 500, 5_100 + PROBE_QUIET_MS, 2_000)).toBe('probe');
    probeSent(s, 6_100);
    expect(probeStep(s, 500, 8_100, 2_000)).toBeUndefined();
    expect(probeStep(s, 500, 8_101, 2_000)).toBe('dead');
  });

  it('after an answer, probes again only when the session read more (one probe per quiet spell)', () => {
    const s = newProbeState(0, 0);
    expect(probeStep(s, 50, 10, 1_000)).toBeUndefined();
    expect(probeStep(s, 50, 10 + PROBE_QUIET_MS, 1_000)).toBe('probe');
    probeSent(s, 10 + PROBE_QUIET_MS);
    probeAnswered(s, 67); // the PING ack was read
    expect(probeStep(s, 67, 5_000, 1_000)).toBeUndefined();
    expect(probeStep(s, 67, 50_000, 1_000)).toBeUndefined();
    expect(probeStep(s, 90, 50_001, 1_000)).toBeUndefined();
    expect(probeStep(s, 90, 50_001 + PROBE_QUIET_MS, 1_000)).toBe('probe');
  });
});
