/**
 * `kes server` from start to exit, shared by the `kes-server` app and the `kes` CLI: arguments → {@link runServer}
 * (config or development mode → server → banner), or several such server processes (node:cluster, see
 * `cluster/`); reload requests (SIGHUP) re-read the config, a stop request (SIGTERM/SIGINT) closes the server.
 */
import type { ClusterControl } from '../cluster/primary.js';
import { isClusterWorker, maybeRunCluster, runClusterWorker } from '../cluster/launch-cluster.js';
import type { ModuleImporter } from '../config/index.js';
import { USAGE, UsageError, parseServerArgs, type ServerArgs } from './args.js';
import { HeldReloads } from './held-reloads.js';
import { runServer, type RunContext, type RunningServer } from './run-server.js';
import { shutdownLine } from './shutdown.js';

/** What {@link launchServer} needs from the process (the real one in an app, fakes in tests). */
export interface LaunchOptions {
  /** Arguments after `kes server` (or after the app's script). */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** How backend packages are imported — `(s) => import(s)` from the app (see `RunContext.importModule`). */
  readonly importModule: ModuleImporter;
  /** The version shown in the banner and reported by `/version`. */
  readonly version: string;
  /** Folder of the development certificate unless `KES_DEV_CERT_DIR` names one. */
  readonly devCertDir: string;
  /** Fires to stop the server; a string reason (e.g. `'SIGTERM'`) is named in the shutdown message. */
  readonly stop: AbortSignal;
  /** Subscribes to reload requests (SIGHUP); returns the unsubscribe function. */
  readonly onReload?: (listener: () => void) => () => void;
  /**
   * Server processes when neither `--workers` nor `KES_WORKERS` says (default 1; the apps pass one per CPU, see
   * `planWorkers` for when fewer run). A program that starts several must be its own entry point: node:cluster
   * workers re-run it with the same arguments, and it must call {@link launchServer} again there.
   */
  readonly defaultWorkers?: number;
  /** Told about the running multi-process server (for programs that embed it, such as the benchmark). */
  readonly onCluster?: (control: ClusterControl) => void;
  /** Set by a cluster worker for its own server (see `RunContext`). */
  readonly adjustOptions?: RunContext['adjustOptions'];
  /** Set by a cluster worker for its own server (see `RunContext`). */
  readonly quiet?: boolean;
  /** Set by a cluster worker for its own server (see `RunContext`). */
  readonly configText?: string;
  /** Set by a cluster worker for its own server (see `RunContext`). */
  readonly coordinated?: boolean;
  /** Told about the one-process server once it runs (a cluster worker prepares and applies reloads through it). */
  readonly onRunning?: (running: RunningServer) => void;
}

/**
 * Runs `kes server` until `stop` fires.
 * @returns the exit status: 0 after a clean stop (or `--help`), 1 when the server cannot start or the shutdown
 *   fails, 2 for a command-line mistake (printed with the usage). Never throws.
 */
export async function launchServer(opts: LaunchOptions): Promise<number> {
  if (isClusterWorker(opts)) return runClusterWorker(opts, launchServer);
  let args;
  try {
    args = parseServerArgs(opts.argv, opts.env);
  } catch (err) {
    opts.stderr.write(`Error: ${(err as Error).message}\n${err instanceof UsageError ? `\n${USAGE}` : ''}`);
    return err instanceof UsageError ? 2 : 1;
  }
  if (args.help) {
    opts.stdout.write(USAGE);
    return 0;
  }
  // reload requests from now on: one during the start-up is held until the server can reload
  const held = opts.onReload === undefined ? undefined : new HeldReloads(opts.onReload);
  try {
    return await launchParsed(held === undefined ? opts : { ...opts, onReload: held.onReload }, args);
  } finally {
    held?.close();
  }
}

/** {@link launchServer} with parsed arguments. */
async function launchParsed(opts: LaunchOptions, args: ServerArgs): Promise<number> {
  const clusterExit = await maybeRunCluster(opts, args);
  if (clusterExit !== undefined) return clusterExit;
  let running;
  try {
    running = await runServer({ ...opts, args });
  } catch (err) {
    opts.stderr.write(`Error: ${(err as Error).message}\n`);
    return 1;
  }
  opts.onRunning?.(running);
  const unsubscribe = opts.onReload?.(() => void running.reload());
  try {
    if (!opts.stop.aborted) await new Promise<void>((resolve) => opts.stop.addEventListener('abort', () => resolve(), { once: true }));
    if (opts.coordinated !== true) opts.stderr.write(shutdownLine(opts.stop)); // a cluster's primary says it once for all
    await running.close();
    return 0;
  } catch (err) {
    opts.stderr.write(`Error: shutdown failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    unsubscribe?.();
  }
}
