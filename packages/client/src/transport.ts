/**
 * HTTPS/1.1 transport with mTLS over a keep-alive agent: one request = deadline + caller's AbortSignal, failover
 * across endpoints ({@link Balancer}) and, per endpoint, the Go SDK's retry loop (`kms-go kes/retry.go retry.Do`):
 * network errors and 503 answers are retried `maxRetries` times after a jittered delay.
 */
import { Agent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { final, isFinal, sendOnce, type TransportReply, type TransportRequest } from './attempt.js';
import { Balancer } from './balancer.js';
import type { ClientCredentials } from './credentials.js';
import { KesClientError } from './errors.js';
import { isRetryableNetworkError } from './network-errors.js';

export type { TransportReply, TransportRequest } from './attempt.js';

/** Retry/failover tuning with the Go SDK's defaults. */
export interface RetryOptions {
  /** Retries after the first attempt, for 503 answers and network errors. Default 2. */
  maxRetries?: number;
  /** The delay before a retry is uniformly random in [minDelayMs, maxDelayMs). Defaults 200 and 1000. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long an endpoint that failed (network/TLS error, or ≥ 500 except 501) is skipped, in ms. Default 30 000. */
  penaltyMs?: number;
  /** Source of randomness in [0, 1) for jitter and the failover start. Default `Math.random`. */
  random?: () => number;
}

/** Settings of a {@link Transport}. */
export interface TransportOptions {
  endpoints: readonly string[];
  credentials: ClientCredentials;
  insecure: boolean;
  /** Default per-request time budget in ms (0 = none). */
  timeoutMs: number;
  /** Time allowed to establish a connection (TCP + TLS) before it counts as a network error. */
  connectTimeoutMs: number;
  retry: RetryOptions;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Sends requests; see the module comment. Reuse one per client; `close()` destroys idle sockets. */
export class Transport {
  readonly agent: Agent;
  private readonly balancer: Balancer;
  private readonly retry: Required<RetryOptions>;

  constructor(private readonly opts: TransportOptions) {
    const { credentials } = opts;
    this.agent = new Agent({
      keepAlive: true,
      cert: credentials.certPem,
      key: credentials.keyPem,
      ...(credentials.ca !== undefined ? { ca: credentials.ca } : {}),
      rejectUnauthorized: !opts.insecure,
      ALPNProtocols: ['http/1.1'],
    });
    this.retry = {
      maxRetries: opts.retry.maxRetries ?? 2,
      minDelayMs: opts.retry.minDelayMs ?? 200,
      maxDelayMs: opts.retry.maxDelayMs ?? 1000,
      penaltyMs: opts.retry.penaltyMs ?? 30_000,
      random: opts.retry.random ?? Math.random,
    };
    this.balancer = new Balancer(opts.endpoints, {
      penaltyMs: this.retry.penaltyMs,
      random: this.retry.random,
      now: Date.now,
    });
  }

  /** The endpoints in the order they are preferred. */
  get endpoints(): string[] {
    return this.balancer.endpoints;
  }

  /**
   * Sends `req` within the call's time budget.
   * @returns the answer (any status; the caller maps non-200 answers to errors).
   * @throws KesClientError `TIMEOUT`/`ABORTED`, `UNREACHABLE`/`CERT_UNTRUSTED`/`TLS` (after retries and failover),
   *   or `INVALID_RESPONSE` (oversized success body).
   */
  async send(req: TransportRequest, call: CallOptions = {}): Promise<TransportReply> {
    const timeoutMs = call.timeoutMs ?? this.opts.timeoutMs;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(call.signal?.reason);
    if (call.signal?.aborted) throw new KesClientError('ABORTED', 0, 'request aborted');
    call.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    };
    const signal = controller.signal;
    try {
      const reply = await this.balancer.run((endpoint) => this.sendWithRetry(endpoint, req, signal), isFinal);
      if (reply.stream !== undefined) {
        clearTimeout(timer);
        // The stream lives on: the caller's signal still ends it.
        reply.stream.once('close', () => call.signal?.removeEventListener('abort', onAbort));
      } else {
        cleanup();
      }
      return reply;
    } catch (err) {
      cleanup();
      if (signal.aborted) {
        throw timedOut
          ? new KesClientError('TIMEOUT', 0, `${req.method} ${req.path} timed out after ${timeoutMs} ms`)
          : new KesClientError('ABORTED', 0, `${req.method} ${req.path} aborted`, { cause: signal.reason });
      }
      throw err;
    }
  }

  private async sendWithRetry(endpoint: string, req: TransportRequest, signal: AbortSignal): Promise<TransportReply> {
    const { maxRetries, minDelayMs, maxDelayMs, random } = this.retry;
    for (let attempt = 0; ; attempt++) {
      try {
        const reply = await sendOnce(this.agent, endpoint, req, signal, this.opts.connectTimeoutMs);
        if (reply.status !== 503 || attempt >= maxRetries) return reply;
      } catch (err) {
        const e = err as KesClientError;
        if (isFinal(e) || !isRetryableNetworkError(e) || attempt >= maxRetries) throw e;
      }
      const delay = minDelayMs + Math.floor(random() * Math.max(0, maxDelayMs - minDelayMs));
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        throw final(new KesClientError('ABORTED', 0, 'request aborted'));
      }
    }
  }

  /** Destroys the agent's sockets. Idempotent. */
  close(): void {
    this.agent.destroy();
  }
}
