/**
 * Multi-endpoint failover with the Go SDK's rules (`kms-go kes/retry.go loadBalancer.Send`, spec `minio-client.md`
 * §2.4): a first endpoint on the local host is tried first; otherwise endpoints are tried round-robin from a random
 * start. An endpoint whose request fails (network/TLS error) or answers ≥ 500 other than 501 is put in timeout for
 * `penaltyMs` and the next endpoint is tried; after the timeout a single request probes it again. When every endpoint
 * is in timeout they are all tried anyway. With a single endpoint there is no failover and no timeout.
 */
import type { KesClientError } from './errors.js';
import { rankEndpoint } from './endpoints.js';

/** The outcome of one request to one endpoint, as far as failover is concerned. */
export interface Attempt {
  readonly status: number;
}

/** True iff an answer with this status makes the client fail over (≥ 500 except 501). */
export function isFailoverStatus(status: number): boolean {
  return status >= 500 && status !== 501;
}

class EndpointState {
  /** Start of the current timeout (ms since epoch), 0 = healthy. */
  private timeoutAt = 0;
  private probing = false;

  constructor(
    readonly url: string,
    readonly localhost: boolean,
    private readonly penaltyMs: number,
    private readonly now: () => number,
  ) {}

  /** Whether the endpoint is in timeout, and whether this caller should probe it (at most one at a time). */
  check(): { timedOut: boolean; probe: boolean } {
    if (this.timeoutAt === 0) return { timedOut: false, probe: false };
    if (this.now() - this.timeoutAt < this.penaltyMs) return { timedOut: true, probe: false };
    if (!this.probing) {
      this.probing = true;
      return { timedOut: false, probe: true };
    }
    return { timedOut: true, probe: false };
  }

  penalize(asProbe: boolean): void {
    if (this.timeoutAt === 0 || asProbe) this.timeoutAt = this.now();
    if (asProbe) this.probing = false;
  }

  clear(): void {
    this.timeoutAt = 0;
    this.probing = false;
  }
}

/** Failure handling options. */
export interface BalancerOptions {
  penaltyMs: number;
  random: () => number;
  now: () => number;
}

/**
 * Runs a request against the endpoints with failover. `send(endpoint)` performs one request (with its own retries)
 * and resolves with an answer or rejects with a {@link KesClientError}; `isFinal(err)` says which errors must not
 * fail over (cancellation, timeouts, failures after the answer started).
 */
export class Balancer {
  private readonly states: EndpointState[];

  constructor(endpoints: readonly string[], private readonly opts: BalancerOptions) {
    this.states = endpoints.map((e) => new EndpointState(e, rankEndpoint(e) === 0, opts.penaltyMs, opts.now));
  }

  /** The endpoints in the order they are considered. */
  get endpoints(): string[] {
    return this.states.map((s) => s.url);
  }

  /**
   * @returns the first answer that does not fail over, or the last answer/error when every endpoint failed.
   * @throws the last KesClientError when the last endpoint tried failed without an answer, or a final error at once.
   */
  async run<T extends Attempt>(
    send: (endpoint: string) => Promise<T>,
    isFinal: (err: KesClientError) => boolean,
  ): Promise<T> {
    const states = this.states;
    const first = states[0];
    if (first === undefined) throw new Error('no endpoints');
    if (states.length === 1) return send(first.url);

    let last: { answer: T } | { error: KesClientError } | undefined;
    const tryOne = async (state: EndpointState, probe: boolean, clearOnSuccess: boolean): Promise<T | undefined> => {
      try {
        const answer = await send(state.url);
        if (isFailoverStatus(answer.status)) {
          state.penalize(probe);
          last = { answer };
          return undefined;
        }
        if (probe || clearOnSuccess) state.clear();
        return answer;
      } catch (err) {
        const e = err as KesClientError;
        if (isFinal(e)) throw e;
        state.penalize(probe);
        last = { error: e };
        return undefined;
      }
    };

    if (first.localhost) {
      const { timedOut, probe } = first.check();
      if (!timedOut || probe) {
        const answer = await tryOne(first, probe, false);
        if (answer !== undefined) return answer;
      }
    }

    const n = states.length;
    const start = Math.floor(this.opts.random() * n) % n;
    for (const fullRetry of [false, true]) {
      for (let i = 1; i <= n; i++) {
        const state = states[(start + i) % n] as EndpointState;
        const { timedOut, probe } = state.check();
        if (!fullRetry && timedOut && !probe) continue;
        const answer = await tryOne(state, probe, fullRetry);
        if (answer !== undefined) return answer;
      }
      if (last !== undefined) break;
    }
    if (last === undefined) throw new Error('unreachable: no endpoint was tried');
    if ('error' in last) throw last.error;
    return last.answer;
  }
}
