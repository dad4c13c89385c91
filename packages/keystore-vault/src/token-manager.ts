import type { TokenGrant, TokenSource } from './auth-login.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { raceSignal, unref } from './signals.js';
import { describeThrown, VaultRequestError } from './vault-request-error.js';

/** Tuning of a {@link TokenManager}; the defaults suit production, tests shorten them. */
export interface TokenManagerOptions {
  /** Renew (or log in again) after this fraction of the token's TTL has passed; 0 < f < 1. @default 0.8 (KES) */
  readonly renewFraction?: number;
  /** Never renew more often than this, whatever the TTL (no flooding with tiny TTLs). @default 1000 */
  readonly minRenewDelayMs?: number;
  /** Waits after failed logins and renewals (exponential, with jitter). @default 1 s doubling up to 30 s */
  readonly backoff?: BackoffOptions;
  /** Renewal attempts that failed without a 4xx before the manager logs in again. @default 3 (KES) */
  readonly renewAttempts?: number;
  /**
   * A token from a scheduled re-login is adopted after min(half the old token's remaining TTL, this), so that it has
   * reached every node of a Vault cluster (KES does the same). @default 30000
   */
  readonly adoptDelayMaxMs?: number;
  /** Called with a message (never a token) when renewal or login fails in the background. */
  readonly onWarning?: (message: string) => void;
}

interface Held {
  readonly grant: TokenGrant;
  /** `Date.now()` after which the token is expired; `Infinity` for a TTL of 0. */
  expiresAt: number;
  /** Renewal no longer extends the token (max_ttl is near, or it stopped being renewable): log in again. */
  capped: boolean;
}

/**
 * Keeps one Vault token alive for a keystore:
 * - {@link TokenManager.token} returns the current token, logging in when there is none (one login at a time, shared
 *   by every caller; while a failed login's backoff lasts, callers get that failure at once instead of a new login);
 * - in the background it renews at `renewFraction` of the TTL, logs in again when renewal fails with a 4xx, fails
 *   `renewAttempts` times, the token is not renewable, or a renewal grants clearly less than the login did (max_ttl
 *   is near); failed attempts back off exponentially;
 * - {@link TokenManager.recover} tells a 403 caused by an invalid token (then the token is dropped and the caller may
 *   retry once) from a policy denial, with one `lookup-self` per token however many callers ask.
 */
export class TokenManager {
  readonly #source: TokenSource;
  readonly #fraction: number;
  readonly #minDelayMs: number;
  readonly #backoff: BackoffOptions;
  readonly #renewAttempts: number;
  readonly #adoptDelayMaxMs: number;
  readonly #warn: (message: string) => void;
  #current: Held | undefined;
  #pending: Held | undefined;
  #login: Promise<Held> | undefined;
  #loginFailures = 0;
  #renewFailures = 0;
  #retryAt = 0;
  #lastLoginError: unknown;
  #timer: NodeJS.Timeout | undefined;
  #adoptTimer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #checks = new Map<string, Promise<boolean>>();

  constructor(source: TokenSource, options: TokenManagerOptions = {}) {
    this.#source = source;
    this.#fraction = options.renewFraction ?? 0.8;
    if (!(this.#fraction > 0 && this.#fraction < 1)) throw new RangeError('renewFraction must be between 0 and 1');
    this.#minDelayMs = options.minRenewDelayMs ?? 1000;
    this.#backoff = options.backoff ?? {};
    this.#renewAttempts = options.renewAttempts ?? 3;
    this.#adoptDelayMaxMs = options.adoptDelayMaxMs ?? 30_000;
    this.#warn = options.onWarning ?? (() => undefined);
  }

  /** Starts a login in the background (its failure is kept for callers and retried with backoff). */
  start(): void {
    this.#loginOnce().catch(() => undefined);
  }

  /**
   * @returns a token that has not expired, logging in first if needed.
   * @throws the login failure (a `VaultRequestError` or an `Error`), the signal's reason, or an `Error` after close.
   */
  async token(signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    if (this.#closed) throw new Error('vault: the keystore is closed');
    const held = this.#usable();
    if (held) return held.grant.token;
    return (await raceSignal(this.#loginOnce(), signal)).grant.token;
  }

  /**
   * Decides what to do after Vault answered 403 to a request made with `token`.
   * @returns true when the token is no longer valid (it was dropped; call {@link TokenManager.token} and retry once),
   *   false when it is valid (a policy denial: report the 403) or its validity could not be checked.
   */
  async recover(token: string, signal?: AbortSignal): Promise<boolean> {
    if (this.#current?.grant.token !== token && this.#pending?.grant.token !== token) return true; // already replaced
    let check = this.#checks.get(token);
    if (!check) {
      check = this.#source.isValid(token).finally(() => this.#checks.delete(token));
      this.#checks.set(token, check);
    }
    const valid = await raceSignal(check, signal).catch((err: unknown) => {
      if (signal?.aborted) throw err;
      return true; // cannot tell: keep the token and report the 403
    });
    if (valid) return false;
    this.#invalidate(token);
    return true;
  }

  /** The last login failure while there is no usable token (to explain why the keystore cannot work), else undefined. */
  get loginFailure(): unknown {
    return this.#usable() ? undefined : this.#lastLoginError;
  }

  /** Stops every timer; later {@link TokenManager.token} calls throw. Idempotent. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#adoptTimer);
  }

  #usable(): Held | undefined {
    const now = Date.now();
    if (this.#current && now < this.#current.expiresAt) return this.#current;
    if (this.#pending && now < this.#pending.expiresAt) {
      this.#adoptPending();
      return this.#current;
    }
    return undefined;
  }

  /** The shared login; within a failed login's backoff it rejects with that failure, unless `force` (the retry timer). */
  #loginOnce(force = false): Promise<Held> {
    if (this.#login) return this.#login;
    if (!force && Date.now() < this.#retryAt && this.#lastLoginError !== undefined) return Promise.reject(this.#lastLoginError);
    const login = this.#source.login().then(
      (grant) => this.#loggedIn(grant),
      (err: unknown) => {
        this.#loginFailed(err);
        throw err;
      },
    );
    this.#login = login.finally(() => (this.#login = undefined));
    return this.#login;
  }

  #loggedIn(grant: TokenGrant): Held {
    const held: Held = { grant, expiresAt: grant.ttlMs > 0 ? Date.now() + grant.ttlMs : Infinity, capped: false };
    this.#loginFailures = 0;
    this.#renewFailures = 0;
    this.#lastLoginError = undefined;
    if (this.#closed) return held;
    const old = this.#usable();
    clearTimeout(this.#adoptTimer);
    if (old === undefined || !Number.isFinite(old.expiresAt)) {
      this.#current = held;
      this.#pending = undefined;
    } else {
      this.#pending = held;
      const delay = Math.min((old.expiresAt - Date.now()) / 2, this.#adoptDelayMaxMs);
      this.#adoptTimer = unref(setTimeout(() => this.#adoptPending(), Math.max(0, delay)));
    }
    this.#scheduleRenewal(held);
    return held;
  }

  #loginFailed(err: unknown): void {
    this.#loginFailures++;
    this.#lastLoginError = err;
    const delay = backoffDelay(this.#loginFailures, this.#backoff);
    this.#retryAt = Date.now() + delay;
    this.#warn(`${describeThrown(err)}; trying again in ${Math.round(delay)} ms`);
    this.#schedule(delay);
  }

  #adoptPending(): void {
    clearTimeout(this.#adoptTimer);
    if (this.#pending) [this.#current, this.#pending] = [this.#pending, undefined];
  }

  #invalidate(token: string): void {
    if (this.#pending?.grant.token === token) this.#pending = undefined;
    if (this.#current?.grant.token !== token) return;
    this.#current = undefined;
    this.#adoptPending();
    if (this.#current === undefined) clearTimeout(this.#timer);
  }

  #scheduleRenewal(held: Held): void {
    if (!Number.isFinite(held.expiresAt)) {
      clearTimeout(this.#timer);
      return;
    }
    const ttl = held.expiresAt - Date.now();
    this.#schedule(Math.max(this.#minDelayMs, ttl * this.#fraction));
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    this.#timer = unref(setTimeout(() => void this.#tick(), delayMs));
  }

  /** The background step: renew the newest token, or log in again. */
  async #tick(): Promise<void> {
    const held = this.#pending ?? this.#current;
    if (this.#closed) return;
    if (held === undefined || Date.now() >= held.expiresAt || !held.grant.renewable || held.capped) {
      await this.#loginOnce(true).catch(() => undefined); // failure: #loginFailed scheduled the retry
      return;
    }
    try {
      const renewed = await this.#source.renew(held.grant.token);
      this.#renewFailures = 0;
      if (renewed.ttlMs <= 0) {
        // max_ttl reached: the token ends now (a renewal never makes a token immortal)
        held.expiresAt = Date.now();
        held.capped = true;
        this.#schedule(0);
        return;
      }
      held.expiresAt = Date.now() + renewed.ttlMs;
      // A renewal that grants clearly less than the login did means max_ttl is near: log in again right away.
      held.capped = !renewed.renewable || renewed.ttlMs < held.grant.ttlMs * 0.9;
      if (held.capped) this.#schedule(0);
      else this.#scheduleRenewal(held);
    } catch (err) {
      this.#renewFailures++;
      const denied = err instanceof VaultRequestError && err.status !== undefined && err.status >= 400 && err.status < 500;
      if (denied || this.#renewFailures >= this.#renewAttempts) {
        this.#warn(`${describeThrown(err)}; logging in again`);
        this.#renewFailures = 0;
        held.capped = true; // the next tick logs in
        this.#schedule(0);
        return;
      }
      const delay = Math.min(backoffDelay(this.#renewFailures, this.#backoff), Math.max(0, held.expiresAt - Date.now()));
      this.#warn(`${describeThrown(err)}; renewing again in ${Math.round(delay)} ms`);
      this.#schedule(delay);
    }
  }
}
