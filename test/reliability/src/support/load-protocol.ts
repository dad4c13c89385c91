/**
 * What the test process and the load generator process ({@link ./load-worker.ts}) tell each other over IPC.
 */
import type { Endpoint } from './http-client.js';
import type { KindCounts, LatencySummary } from './stats.js';

/**
 * One operation of the workload:
 * - `dek`: generate a data key under a random key of `keys`, then decrypt it on a random endpoint and compare;
 * - `create`: create a key `<createPrefix><n>` (n counts up) and remember the outcome per name;
 * - `decrypt`: decrypt a random DEK of `deks` on a random endpoint and compare.
 */
export type LoadOp = 'dek' | 'create' | 'decrypt';

/** A data key as the client saw it (base64). */
export interface KnownDek {
  readonly key: string;
  readonly plaintext: string;
  readonly ciphertext: string;
  /** The associated context (base64), when one was used. */
  readonly context?: string;
}

/** The workload. */
export interface LoadSpec {
  /** One or more servers; each operation picks one at random (the decrypt of `dek` picks again). */
  readonly endpoints: readonly Endpoint[];
  readonly protocol: 'h1' | 'h2';
  /** Operations in flight at most. */
  readonly concurrency: number;
  /** Requests per second across the generator (open loop, falls behind when `concurrency` is exhausted); none = as fast as possible. */
  readonly ratePerSec?: number;
  /** Client timeout of every request. */
  readonly timeoutMs: number;
  /** Operations drawn with these weights. */
  readonly mix: Partial<Record<LoadOp, number>>;
  readonly keys?: readonly string[];
  readonly createPrefix?: string;
  readonly deks?: readonly KnownDek[];
  /** Keep up to this many DEKs made by `dek` operations (reported in the final stats). Default 0. */
  readonly keepDeks?: number;
  /** Seed of the generator's choices. */
  readonly seed: number;
}

/** A failed request, with wall-clock times (ms since the epoch) so that it can be matched to injected faults. */
export interface FailureEvent {
  readonly kind: string;
  readonly op: string;
  /** The key the request was about. */
  readonly key?: string;
  readonly start: number;
  readonly end: number;
  readonly detail?: string;
}

/** Figures of a window (since the previous snapshot). */
export interface WindowStats {
  readonly durationMs: number;
  readonly requests: number;
  readonly ok: number;
  /** Failed requests by kind (`http-502`, `timeout`, `ECONNRESET`, `wrong-plaintext`, …). */
  readonly errors: KindCounts;
  /** Latency of every answered request (any status). */
  readonly latency: LatencySummary;
  /** The first failures of the window (at most 200). */
  readonly failures: readonly FailureEvent[];
  /** Every failure of the window, counted by the wall-clock second (epoch seconds) its request started in. */
  readonly failuresBySecond: Readonly<Record<string, number>>;
  /** `create` outcomes by name: `ok` or the error kind. */
  readonly created: Readonly<Record<string, string>>;
  /** DEKs made (when `keepDeks` > 0). */
  readonly deks: readonly KnownDek[];
}

/** Test process → generator. */
export type ToGenerator = { type: 'start'; spec: LoadSpec } | { type: 'snapshot'; id: number } | { type: 'stop'; id: number };

/** Generator → test process. */
export type FromGenerator = { type: 'started' } | { type: 'stats'; id: number; stats: WindowStats };
