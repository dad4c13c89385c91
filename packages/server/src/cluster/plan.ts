/**
 * How many processes a `kes server` runs. Several processes share the listening port (node:cluster), so each keeps
 * its own key cache over the same keystore — right for keystores whose state lives outside the process (files, Vault,
 * cloud KMS), wrong for the in-memory store (each process would have its own keys) and unknown for third-party
 * modules (which run as one process unless the operator asks for more).
 */
import type { ServerConfig } from '../config/server-config.js';

/** The decision and, when it differs from what was asked or defaulted, why. */
export interface WorkerPlan {
  readonly workers: number;
  readonly note?: string;
}

/**
 * Plans the processes for `config` (`undefined` = development mode): `requested` (`--workers`/`KES_WORKERS`) wins for
 * keystores that may run in several processes; otherwise `defaultWorkers` (one per CPU in the apps). The note says
 * why fewer run than asked for — for development mode and the memory keystore only when more were asked explicitly
 * (nothing to do about it otherwise), for a keystore module also by default (`--workers` would run more).
 */
export function planWorkers(config: ServerConfig | undefined, requested: number | undefined, defaultWorkers: number): WorkerPlan {
  const wanted = requested ?? defaultWorkers;
  if (wanted <= 1) return { workers: 1 };
  if (config === undefined) {
    return requested === undefined ? { workers: 1 } : { workers: 1, note: 'development mode runs one process (its keys live in its memory)' };
  }
  if (config.keystore.name === 'memory' && config.keystore.module === undefined) {
    return requested === undefined ? { workers: 1 } : { workers: 1, note: 'the memory keystore runs one process (each process would have keys of its own)' };
  }
  if (config.keystore.module !== undefined && requested === undefined) {
    return { workers: 1, note: `the keystore module '${config.keystore.name}' runs in one process; use --workers to run more if it keeps no state in the process` };
  }
  return { workers: wanted };
}
