/**
 * The IPC protocol between the primary of a multi-process server and its workers (plain objects over the cluster
 * channel; every message has `kes` naming its kind).
 */

import type { ReloadKind } from '../reload/reload-queue.js';

/** The two log streams a subscriber can follow. */
export type StreamName = 'audit' | 'error';

/** Primary → worker. */
export type ToWorker =
  /**
   * First message: the shared TLS session-ticket keys (hex), the worker's index (0 speaks for all) and the config
   * file's contents in force (the worker parses them instead of reading the file).
   */
  | { kes: 'init'; ticketKeys: string; index: number; config: string }
  /** Whether some other worker has subscribers of `stream` (so this worker must send its lines). */
  | { kes: 'log-wanted'; stream: StreamName; wanted: boolean }
  /** A line another worker published, for this worker's subscribers. */
  | { kes: 'log'; stream: StreamName; line: string }
  /** The cluster's metrics (answer to `metrics-req`). */
  | { kes: 'metrics-res'; id: number; text?: string; error?: string }
  /**
   * Prepare reload `id` — parse `text` (the config file as the primary read and checked it; it created the `keys:`
   * already) or re-read the TLS files — without applying it; answered with `reload-ack` (phase `prepare`).
   */
  | { kes: 'reload'; id: number; kind: ReloadKind; text?: string }
  /** Every worker prepared reload `id`: apply it; answered with `reload-ack` (phase `apply`). */
  | { kes: 'reload-apply'; id: number }
  /** Reload `id` failed somewhere: drop what was prepared for it (no answer). */
  | { kes: 'reload-drop'; id: number }
  /** Drain and exit. */
  | { kes: 'stop' }
  /** How many requests this worker has served (answered with `stats`). */
  | { kes: 'stats-req'; id: number };

/** Worker → primary. */
export type ToPrimary =
  /** The worker listens for messages now: send `init` (anything sent earlier would be lost). */
  | { kes: 'hello' }
  /** The number of this worker's own subscribers of `stream` changed. */
  | { kes: 'log-count'; stream: StreamName; count: number }
  /** A line this worker published, for the other workers' subscribers. */
  | { kes: 'log'; stream: StreamName; line: string }
  /** Asks for the cluster's metrics. */
  | { kes: 'metrics-req'; id: number }
  /** Answer to `stats-req`. */
  | { kes: 'stats'; id: number; requests: number }
  /**
   * Answer to `reload` (phase `prepare`) or `reload-apply` (phase `apply`): `error` is the message one process would
   * log (absent = ok); `lines` what one process would have logged on the way (config warnings).
   */
  | { kes: 'reload-ack'; id: number; phase: ReloadPhase; error?: string; lines?: string[] };

/** The two steps of a coordinated reload. */
export type ReloadPhase = 'prepare' | 'apply';

/** The environment variable the primary sets for its workers. */
export const WORKER_ENV = 'KES_CLUSTER_WORKER';

/** True for a message of this protocol. Never throws. */
export function isKesMessage(msg: unknown): msg is { kes: string } {
  return typeof msg === 'object' && msg !== null && typeof (msg as { kes?: unknown }).kes === 'string';
}
