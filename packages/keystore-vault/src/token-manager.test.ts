import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenGrant, TokenSource } from './auth-login.js';
import { backoffDelay } from './backoff.js';
import { TokenManager, type TokenManagerOptions } from './token-manager.js';
import { VaultRequestError } from './vault-request-error.js';

const S = 1000;
const httpError = (status: number) => new VaultRequestError('POST x', status, ['nope'], undefined, undefined, `vault: POST x: nope (HTTP ${status})`);
const networkError = () => new VaultRequestError('POST x', undefined, [], 'ECONNREFUSED', undefined, 'vault: POST x: connect ECONNREFUSED');

/** A scripted Vault: logins issue tok-1, tok-2, …; renewals and checks answer from queues (default: success). */
class FakeVault implements TokenSource {
  logins = 0;
  renewals: string[] = [];
  checks = 0;
  grant: Omit<TokenGrant, 'token'> = { ttlMs: 100 * S, renewable: true };
  loginFailures: Error[] = [];
  renewAnswers: (Error | number)[] = [];
  valid = true;

  async login(): Promise<TokenGrant> {
    this.logins++;
    const failure = this.loginFailures.shift();
    if (failure) throw failure;
    return { token: `tok-${this.logins}`, ...this.grant };
  }
  async renew(token: string): Promise<TokenGrant> {
    this.renewals.push(token);
    const answer = this.renewAnswers.shift() ?? this.grant.ttlMs;
    if (answer instanceof Error) throw answer;
    return { token, ttlMs: answer, renewable: this.grant.renewable };
  }
  async isValid(): Promise<boolean> {
    this.checks++;
    return this.valid;
  }
}

const OPTIONS: TokenManagerOptions = { backoff: { initialMs: S, maxMs: 8 * S, random: () => 0.5 }, adoptDelayMaxMs: 30 * S };
let vault: FakeVault;
let manager: TokenManager;
const make = (options: TokenManagerOptions = OPTIONS) => (manager = new TokenManager(vault, options));

beforeEach(() => {
  vi.useFakeTimers();
  vault = new FakeVault();
});
afterEach(() => {
  manager?.close();
  vi.useRealTimers();
});

describe('TokenManager', () => {
  it('logs in once for any number of concurrent callers', async () => {
    make();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => manager.token()));
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
    expect(vault.logins).toBe(1);
  });

  it('renews at 80% of the TTL and again at 80% of the renewed TTL, never logging in again', async () => {
    make();
    await manager.token();
    await vi.advanceTimersByTimeAsync(79 * S);
    expect(vault.renewals).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * S);
    expect(vault.renewals).toEqual(['tok-1']);
    await vi.advanceTimersByTimeAsync(80 * S);
    expect(vault.renewals).toEqual(['tok-1', 'tok-1']);
    expect(vault.logins).toBe(1);
    expect(await manager.token()).toBe('tok-1');
  });

  it('never renews a token without TTL (and never logs in again)', async () => {
    vault.grant = { ttlMs: 0, renewable: false };
    make();
    await manager.token();
    await vi.advanceTimersByTimeAsync(24 * 3600 * S);
    expect(vault.renewals).toEqual([]);
    expect(vault.logins).toBe(1);
  });

  it('does not renew more often than minRenewDelayMs, however short the TTL', async () => {
    vault.grant = { ttlMs: 100, renewable: true };
    make({ ...OPTIONS, minRenewDelayMs: S });
    await manager.token();
    await vi.advanceTimersByTimeAsync(10 * S);
    expect(vault.renewals.length).toBeLessThanOrEqual(10);
  });

  it('logs in again at 80% of a non-renewable TTL and adopts the new token after min(half the rest, 30 s)', async () => {
    vault.grant = { ttlMs: 100 * S, renewable: false };
    make();
    await manager.token();
    await vi.advanceTimersByTimeAsync(80 * S);
    expect(vault.logins).toBe(2);
    expect(await manager.token()).toBe('tok-1'); // the new one may not have reached every node yet
    await vi.advanceTimersByTimeAsync(9 * S);
    expect(await manager.token()).toBe('tok-1');
    await vi.advanceTimersByTimeAsync(2 * S);
    expect(await manager.token()).toBe('tok-2');
    expect(vault.renewals).toEqual([]);
  });

  it('logs in again at once when a renewal is refused (4xx)', async () => {
    vault.renewAnswers = [httpError(403)];
    make({ ...OPTIONS, adoptDelayMaxMs: 0 });
    await manager.token();
    await vi.advanceTimersByTimeAsync(80 * S + 10);
    expect(vault.logins).toBe(2);
    expect(await manager.token()).toBe('tok-2');
  });

  it('retries a renewal that failed without an answer with backoff, and logs in after the third failure', async () => {
    vault.renewAnswers = [networkError(), networkError(), networkError()];
    make({ ...OPTIONS, adoptDelayMaxMs: 0 });
    await manager.token();
    await vi.advanceTimersByTimeAsync(80 * S);
    expect(vault.renewals).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(S); // backoff 1 s
    expect(vault.renewals).toHaveLength(2);
    expect(vault.logins).toBe(1);
    await vi.advanceTimersByTimeAsync(2 * S + 10); // backoff 2 s, third failure → login
    expect(vault.renewals).toHaveLength(3);
    expect(vault.logins).toBe(2);
  });

  it('logs in again at once when max_ttl makes a renewal grant less than the login did, or nothing', async () => {
    vault.renewAnswers = [95 * S, 40 * S];
    make({ ...OPTIONS, adoptDelayMaxMs: 0 });
    await manager.token();
    await vi.advanceTimersByTimeAsync(80 * S); // renewed to 95 s: within tolerance, keep renewing
    expect(vault.logins).toBe(1);
    await vi.advanceTimersByTimeAsync(76 * S + 10); // renewed to 40 s: max_ttl is near, log in now
    expect(vault.renewals).toHaveLength(2);
    expect(vault.logins).toBe(2);
    expect(await manager.token()).toBe('tok-2');

    vault.renewAnswers = [0];
    await vi.advanceTimersByTimeAsync(80 * S + 10);
    expect(vault.logins).toBe(3);
  });

  it('after a failed login, callers get the failure at once until the backoff ends; a timer retries', async () => {
    vault.loginFailures = [httpError(400), httpError(400)];
    make();
    await expect(manager.token()).rejects.toMatchObject({ status: 400 });
    for (let i = 0; i < 5; i++) await expect(manager.token()).rejects.toMatchObject({ status: 400 });
    expect(vault.logins).toBe(1);
    expect(manager.loginFailure).toMatchObject({ status: 400 });
    await vi.advanceTimersByTimeAsync(S); // retry 1: fails, backoff 2 s
    expect(vault.logins).toBe(2);
    await vi.advanceTimersByTimeAsync(2 * S); // retry 2: succeeds
    expect(vault.logins).toBe(3);
    expect(await manager.token()).toBe('tok-3');
    expect(manager.loginFailure).toBeUndefined();
  });

  it('recover: a valid token (policy denial) is kept; an invalid one is dropped and replaced by one login', async () => {
    make();
    const token = await manager.token();
    expect(await manager.recover(token)).toBe(false);
    expect(vault.logins).toBe(1);
    vault.valid = false;
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => manager.recover(token)));
    expect(outcomes.every(Boolean)).toBe(true);
    expect(vault.checks).toBe(2); // one check for all ten callers
    expect(await manager.token()).toBe('tok-2');
    expect(vault.logins).toBe(2);
  });

  it('a token past its expiry is never returned (a login happens instead)', async () => {
    vault.grant = { ttlMs: 10 * S, renewable: true };
    vault.renewAnswers = [networkError(), networkError(), networkError()];
    make({ ...OPTIONS, backoff: { initialMs: 4 * S, maxMs: 4 * S, random: () => 0.5 } });
    expect(await manager.token()).toBe('tok-1');
    vault.loginFailures = [networkError(), networkError(), networkError(), networkError()];
    await vi.advanceTimersByTimeAsync(11 * S);
    await expect(manager.token()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('close stops every timer and later calls throw', async () => {
    make();
    await manager.token();
    manager.close();
    await vi.advanceTimersByTimeAsync(500 * S);
    expect(vault.renewals).toEqual([]);
    await expect(manager.token()).rejects.toThrow(/closed/);
  });

  it('an aborted caller stops waiting for a login that others still share', async () => {
    make();
    const controller = new AbortController();
    const reason = new Error('gone');
    const waiting = manager.token(controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(await manager.token()).toBe('tok-1');
    expect(vault.logins).toBe(1);
  });
});

describe('backoffDelay', () => {
  it('doubles from initialMs and stops at maxMs', () => {
    const o = { initialMs: 100, maxMs: 1000, random: () => 0.5 };
    expect([1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n, o))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('stays within the jitter band and never exceeds maxMs (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (n, r) => {
        const d = backoffDelay(n, { initialMs: 1000, maxMs: 30_000, jitter: 0.2, random: () => r });
        const base = Math.min(30_000, 1000 * 2 ** Math.min(n - 1, 52));
        return d >= base * 0.8 - 1e-9 && d <= Math.min(30_000, base * 1.2) + 1e-9;
      }),
    );
  });
});
