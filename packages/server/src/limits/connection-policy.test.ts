import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expiry, pickVictim, type ConnTiming } from './connection-policy.js';
import { resolveLimits } from './server-limits.js';

const limits = resolveLimits({ handshakeTimeoutMs: 1000, headerTimeoutMs: 2000, idleTimeoutMs: 10_000 });
const at = (phase: ConnTiming['phase'], since: number, headAt = 0, name: string = phase): ConnTiming & { name: string } => ({ phase, since, headAt, name });

describe('expiry', () => {
  it('applies the handshake, request-head and keep-alive deadlines of each phase', () => {
    expect(expiry(at('handshake', 0), limits, 1000)).toBeUndefined();
    expect(expiry(at('handshake', 0), limits, 1001)).toBe('handshake-timeout');
    expect(expiry(at('fresh', 0), limits, 2001)).toBe('header-timeout');
    expect(expiry(at('idle', 0), limits, 9000)).toBeUndefined();
    expect(expiry(at('idle', 0, 8000), limits, 10_001)).toBe('header-timeout');
    expect(expiry(at('idle', 0), limits, 10_001)).toBe('idle-timeout');
    expect(expiry(at('busy', 0), limits, 1e9)).toBeUndefined();
    expect(expiry(at('closing', 0), limits, 1e9)).toBeUndefined();
  });
});

describe('pickVictim', () => {
  it('takes a slow connecting client first, then the longest idle one, then the oldest connecting one; never a busy one', () => {
    const now = 100_000;
    const young = at('handshake', now - 10, 0, 'young');
    const idle = at('idle', now - 5000, 0, 'idle');
    const older = at('idle', now - 8000, 0, 'older idle');
    const slow = at('fresh', now - 1500, 0, 'slow');
    const busy = at('busy', 0, 0, 'busy');
    expect(pickVictim([young, idle, older, slow, busy], limits, now)?.name).toBe('slow');
    expect(pickVictim([young, idle, older, busy], limits, now)?.name).toBe('older idle');
    expect(pickVictim([young, at('fresh', now - 5, 0, 'younger'), busy], limits, now)?.name).toBe('young');
    expect(pickVictim([busy, at('closing', 0)], limits, now)).toBeUndefined();
  });

  it('always picks a connection without a request in flight when there is one (property)', () => {
    const phase = fc.constantFrom<ConnTiming['phase']>('handshake', 'fresh', 'busy', 'idle', 'closing');
    const conn = fc.record({ phase, since: fc.integer({ min: 0, max: 100_000 }), headAt: fc.constantFrom(0, 50_000) });
    fc.assert(
      fc.property(fc.array(conn, { maxLength: 12 }), (conns) => {
        const victim = pickVictim(conns, limits, 100_000);
        const candidates = conns.filter((c) => c.phase !== 'busy' && c.phase !== 'closing');
        if (candidates.length === 0) expect(victim).toBeUndefined();
        else expect(candidates).toContain(victim);
      }),
    );
  });
});
