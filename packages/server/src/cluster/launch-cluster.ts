/**
 * Where the launcher branches into a multi-process server: in a worker process, or when more than one process is
 * wanted and the config's keystore allows it (see {@link planWorkers}).
 */
import cluster from 'node:cluster';
import type { LaunchOptions } from '../launch/launch.js';
import type { ServerArgs } from '../launch/args.js';
import { WORKER_ENV } from './messages.js';
import { planWorkers } from './plan.js';
import { loadForPrimary, runClusterPrimary } from './primary.js';
import { runClusterWorker, type SingleLauncher } from './worker.js';

/** True in a worker process that a `kes server` primary started (and that is not yet running its server). */
export function isClusterWorker(opts: LaunchOptions): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1' && opts.adjustOptions === undefined;
}

export { runClusterWorker, type SingleLauncher };

/**
 * Runs the multi-process server when `args` and `opts` ask for more than one process and the config allows it.
 * @returns the exit status of the cluster, or `undefined` when the server should run as one process (a note saying
 *   why was printed if more were asked for).
 */
export async function maybeRunCluster(opts: LaunchOptions, args: ServerArgs): Promise<number | undefined> {
  const defaultWorkers = opts.defaultWorkers ?? 1;
  const wanted = args.workers ?? defaultWorkers;
  if (wanted <= 1 || opts.adjustOptions !== undefined) return undefined;
  const loaded = args.config === undefined ? undefined : await loadForPrimary(opts, args);
  if (args.config !== undefined && loaded === undefined) return undefined; // one process reports the config's problems
  const plan = planWorkers(loaded?.config, args.workers, defaultWorkers);
  if (plan.note !== undefined) opts.stderr.write(`Warning: ${plan.note}\n`);
  if (plan.workers <= 1) return undefined;
  return runClusterPrimary(opts, args, loaded!, plan.workers);
}
