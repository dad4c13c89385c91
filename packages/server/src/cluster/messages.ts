/**
 * The IPC protocol between the primary of a multi-process server and its workers (plain objects over the cluster
 * channel; every message has `kes` naming its kind).
 */

/** The two log streams a subscriber can follow. */
export type StreamName = 'audit' | 'error';

/** Primary → worker. */
export type ToWorker =
  /** First message: the shared TLS session-ticket keys (hex) and the worker's index (0 speaks for all). */
  | { kes: 'init'; ticketKeys: string; index: number }
  /** Whether some other worker has subscribers of `stream` (so this worker must send its lines). */
  | { kes: 'log-wanted'; stream: StreamName; wanted: boolean }
  /** A line another worker published, for this worker's subscribers. */
  | { kes: 'log'; stream: StreamName; line: string }
  /** The cluster's metrics (answer to `metrics-req`). */
  | { kes: 'metrics-res'; id: number; text?: string; error?: string }
  /** Re-read the config file (the primary created its `keys:` already). */
  | { kes: 'reload' }
  /** Drain and exit. */
  | { kes: 'stop' }
  /** How many requests this worker has served (answered with `stats`). */
  | { kes: 'stats-req'; id: number };

/** Worker → primary. */
export type ToPrimary =
  /** The worker listens for messages now: send `init` (anything sent earlier would be lost). */
  | { kes: 'hello' }
  /** The worker's server is listening. */
  | { kes: 'ready' }
  /** The worker's server could not start (its launcher printed why). */
  | { kes: 'failed'; code: number }
  /** The number of this worker's own subscribers of `stream` changed. */
  | { kes: 'log-count'; stream: StreamName; count: number }
  /** A line this worker published, for the other workers' subscribers. */
  | { kes: 'log'; stream: StreamName; line: string }
  /** Asks for the cluster's metrics. */
  | { kes: 'metrics-req'; id: number }
  /** Answer to `stats-req`. */
  | { kes: 'stats'; id: number; requests: number };

/** The environment variable the primary sets for its workers. */
export const WORKER_ENV = 'KES_CLUSTER_WORKER';

/** True for a message of this protocol. Never throws. */
export function isKesMessage(msg: unknown): msg is { kes: string } {
  return typeof msg === 'object' && msg !== null && typeof (msg as { kes?: unknown }).kes === 'string';
}
