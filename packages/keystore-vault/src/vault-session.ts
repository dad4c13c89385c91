import { Errors } from '@kes/core';
import type { TokenManager } from './token-manager.js';
import { SEALED_DETAIL } from './translate-error.js';
import { describeThrown, VaultRequestError } from './vault-request-error.js';
import type { VaultRequestScope, VaultTransport } from './vault-transport.js';
import { healthError, parseHealth } from './health.js';

/**
 * Authenticated access to one Vault namespace plus what the keystore knows about Vault's state:
 * - every request carries the current token and the namespace; a 403 caused by an invalid token (expired, revoked)
 *   triggers one transparent re-login and one retry, a policy denial does not;
 * - a "sealed" flag, set by `sys/health` (the background poll every `status.ping` and {@link VaultSession.health})
 *   and by any answer "Vault is sealed"; while it is set, requests fail at once without reaching Vault (as in KES).
 */
export class VaultSession {
  readonly #transport: VaultTransport;
  readonly #tokens: TokenManager;
  readonly #namespace: string | undefined;
  #sealed = false;
  #poll: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(transport: VaultTransport, tokens: TokenManager, namespace: string | undefined) {
    this.#transport = transport;
    this.#tokens = tokens;
    this.#namespace = namespace;
  }

  /** The transport (for requests that build their own scope). */
  get transport(): VaultTransport {
    return this.#transport;
  }

  /** Whether the last health information said Vault is sealed (or not initialised). */
  get sealed(): boolean {
    return this.#sealed;
  }

  /** The last login failure while there is no usable token, else undefined. */
  get loginFailure(): unknown {
    return this.#tokens.loginFailure;
  }

  /** Starts the background login and the health poll (every `pingMs`, timers unref'd). */
  start(pingMs: number): void {
    this.#tokens.start();
    this.#poll = setInterval(() => void this.health().catch(() => undefined), pingMs);
    this.#poll.unref?.();
  }

  /**
   * Runs `request` with the session's scope.
   * @throws KesError `KEYSTORE_UNREACHABLE` when closed or sealed (without a request); the signal's reason; the
   *   login's failure; or what `request` threw (`VaultRequestError` for answers and network errors).
   */
  async call<T>(signal: AbortSignal | undefined, request: (scope: VaultRequestScope) => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    if (this.#closed) throw Errors.keystoreUnreachable('vault: the keystore is closed');
    if (this.#sealed) throw Errors.keystoreUnreachable(SEALED_DETAIL);
    try {
      const token = await this.#tokens.token(signal);
      try {
        return await request({ namespace: this.#namespace, token, signal });
      } catch (err) {
        if (!(err instanceof VaultRequestError && err.status === 403) || !(await this.#tokens.recover(token, signal))) throw err;
        return await request({ namespace: this.#namespace, token: await this.#tokens.token(signal), signal });
      }
    } catch (err) {
      if (err instanceof VaultRequestError && err.status === 503 && err.errors.some((e) => /sealed/i.test(e))) this.#sealed = true;
      throw err;
    }
  }

  /**
   * Asks `sys/health` (never namespaced, no token) and updates the sealed flag.
   * @returns the round-trip time in ms.
   * @throws KesError `KEYSTORE_UNREACHABLE` when closed, when Vault cannot be reached, answers something that is no
   *   health status, is sealed or is not initialised; the signal's reason.
   */
  async health(signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    if (this.#closed) throw Errors.keystoreUnreachable('vault: the keystore is closed');
    const start = performance.now();
    let body: unknown;
    try {
      body = await this.#transport.health(signal);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw Errors.keystoreUnreachable(describeThrown(err), err);
    }
    const latencyMs = performance.now() - start;
    const health = parseHealth(body);
    if (health === undefined) throw Errors.keystoreUnreachable('vault: the answer to sys/health is not a health status');
    this.#sealed = health.sealed || !health.initialized;
    const unusable = healthError(health);
    if (unusable) throw unusable;
    return latencyMs;
  }

  /** Stops the poll and the token manager and cancels requests in flight. Idempotent. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#poll);
    this.#tokens.close();
    this.#transport.close();
  }
}
