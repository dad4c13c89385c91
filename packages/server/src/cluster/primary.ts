/**
 * The primary of a multi-process server (node:cluster; workers share the port, connections are handed out round
 * robin): it does once what one process would do once — read the config file (every worker runs the contents it
 * read), create the config's `keys:` at start and before each reload, generate the TLS session-ticket keys every
 * worker uses, watch the TLS files — and connects the workers: log-stream lines reach the subscribers on every
 * worker, `/v1/metrics` on any worker answers for all of them, reloads (SIGHUP, renewed TLS files) are coordinated
 * ({@link ReloadCoordinator}: one log line, applied by all or by none), a stop drains all. The first worker prints the
 * banner; a worker that dies is replaced, between reloads, with the config in force.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import { createKeystoreRegistry } from '../config/index.js';
import { TLS_REREAD_MS } from '../launch/config-running.js';
import type { LaunchOptions } from '../launch/launch.js';
import { shutdownLine } from '../launch/shutdown.js';
import type { ServerArgs } from '../launch/args.js';
import { tlsFilePaths, watchTlsFiles } from '../reload/tls-files.js';
import { LogRelay } from './log-relay.js';
import { WORKER_ENV, isKesMessage, type ToPrimary, type ToWorker } from './messages.js';
import { checkReload, createPrimaryKeys, readPrimaryConfig, type PrimaryConfig, type PrimaryContext } from './primary-config.js';
import { ReloadCoordinator, type ReloadPeer } from './reload-coordinator.js';
import { stopAll } from './stop-workers.js';

/** What a program that embeds the server (the benchmark) can ask the running cluster. */
export interface ClusterControl {
  /** The number of worker processes. */
  readonly workers: number;
  /** Requests each worker has served so far (metered requests), in worker order. */
  requestCounts(): Promise<number[]>;
}

/** How long a replacement worker may take to listen before it is ended (and replaced again). */
const START_TIMEOUT_MS = 60_000;

/** What the primary's config checks need, from the launcher's options. */
function primaryContext(opts: LaunchOptions, args: ServerArgs): PrimaryContext {
  return { cwd: opts.cwd, env: opts.env, file: args.config!, registry: createKeystoreRegistry(opts.importModule) };
}

/**
 * Loads the config as the primary needs it (its contents for the workers, the keystore kind, `keys:`), or
 * `undefined` when it does not load — the one-process launcher then reports the problems exactly as usual.
 */
export async function loadForPrimary(opts: LaunchOptions, args: ServerArgs): Promise<PrimaryConfig | undefined> {
  try {
    return await readPrimaryConfig(primaryContext(opts, args));
  } catch {
    return undefined;
  }
}

/**
 * Runs `workers` worker processes for `initial` until `opts.stop` fires.
 * @returns 0 when every worker stopped cleanly, 1 when the start failed (keys, a worker) or a worker did not stop
 *   cleanly. Never throws.
 */
export async function runClusterPrimary(
  opts: LaunchOptions & { onCluster?: (control: ClusterControl) => void },
  args: ServerArgs,
  initial: PrimaryConfig,
  workers: number,
): Promise<number> {
  const ctx = primaryContext(opts, args);
  const log = (line: string) => void opts.stderr.write(line);
  const keysFailed = await createPrimaryKeys(ctx, initial.config);
  if (keysFailed !== undefined) {
    log(`Error: ${keysFailed}\n`);
    return 1;
  }
  let inForce = initial;
  const ticketKeys = randomBytes(48).toString('hex');
  const relay = new LogRelay();
  const aggregator = new AggregatorRegistry();
  const live = new Map<number, Worker>();
  const listening = new Set<Worker>(); // the workers a reload includes
  const peers = new Map<Worker, ReloadPeer>();
  const order: Worker[] = [];
  const stats = new Map<number, (requests: number) => void>();
  const indexOf = new WeakMap<Worker, number>();
  let stopping = false;
  let nextIndex = 0;
  let nextStatsId = 0;

  const peerOf = (worker: Worker): ReloadPeer => {
    let peer = peers.get(worker);
    if (peer === undefined) {
      peer = {
        label: String(worker.process.pid),
        send: (msg) => worker.isConnected() && worker.send(msg),
        restart: () => void worker.process.kill('SIGTERM'), // drains, exits, and is replaced (see 'exit' below)
      };
      peers.set(worker, peer);
    }
    return peer;
  };
  let watcher: ReturnType<typeof watchTlsFiles> | undefined;
  const coordinator = new ReloadCoordinator({
    file: args.config!,
    peers: () => [...listening].filter((w) => !w.isDead()).map(peerOf),
    log,
    check: async (kind, note) => {
      const next = await checkReload(ctx, kind, inForce, note);
      return {
        ...(kind === 'config' ? { text: next.text } : {}),
        commit: () => {
          if (next === inForce) return;
          inForce = next;
          watcher?.watch(tlsFilePaths(next.config, opts.cwd));
        },
      };
    },
  });

  const onMessage = (worker: Worker, msg: unknown) => {
    if (!isKesMessage(msg)) return;
    const m = msg as ToPrimary;
    switch (m.kes) {
      case 'hello':
        worker.send({ kes: 'init', ticketKeys, index: indexOf.get(worker) ?? 1, config: inForce.text } satisfies ToWorker);
        break;
      case 'log-count':
        relay.count(worker, m.stream, m.count);
        break;
      case 'log':
        relay.forward(worker, m.stream, m.line);
        break;
      case 'metrics-req':
        aggregator.clusterMetrics().then(
          (text) => worker.isConnected() && worker.send({ kes: 'metrics-res', id: m.id, text } satisfies ToWorker),
          (err: Error) => worker.isConnected() && worker.send({ kes: 'metrics-res', id: m.id, error: err.message } satisfies ToWorker),
        );
        break;
      case 'stats':
        stats.get(m.id)?.(m.requests);
        break;
      case 'reload-ack':
        coordinator.answer(peerOf(worker), m);
        break;
      default:
        break;
    }
  };
  cluster.on('message', onMessage);

  const fork = (): Worker => {
    const index = nextIndex++;
    const worker = cluster.fork({ [WORKER_ENV]: '1' });
    indexOf.set(worker, index);
    live.set(worker.id, worker);
    order.push(worker);
    worker.once('online', () => relay.joined(worker));
    worker.once('listening', () => listening.add(worker));
    return worker;
  };

  // start: every worker listening, or the first one that exits before (its launcher printed why)
  const started = await new Promise<boolean>((done) => {
    let count = 0;
    const onListening = () => {
      if (++count === workers) finish(true);
    };
    const onEarlyExit = () => finish(false);
    const onStop = () => finish(false);
    const finish = (ok: boolean) => {
      cluster.off('listening', onListening);
      cluster.off('exit', onEarlyExit);
      opts.stop.removeEventListener('abort', onStop);
      done(ok);
    };
    cluster.on('listening', onListening);
    cluster.on('exit', onEarlyExit);
    opts.stop.addEventListener('abort', onStop, { once: true });
    for (let i = 0; i < workers; i++) fork();
  });
  if (!started) {
    stopping = true;
    await stopAll(live, (worker) => listening.has(worker));
    cluster.off('message', onMessage);
    return opts.stop.aborted ? 0 : 1;
  }

  /** Starts a worker in the place of `dead` (in `order`) and waits until it listens (between reloads). */
  const replace = async (dead: Worker): Promise<void> => {
    if (stopping) return;
    const worker = fork();
    order.pop(); // fork() appended it; it takes the dead worker's place instead
    const at = order.indexOf(dead);
    if (at >= 0) order.splice(at, 1, worker);
    else order.push(worker);
    await new Promise<void>((done) => {
      const finish = () => (clearTimeout(timer), worker.off('listening', finish), worker.off('exit', finish), done());
      const timer = setTimeout(() => {
        if (!stopping) log(`Error: worker ${worker.process.pid} did not start within ${START_TIMEOUT_MS / 1000} s; ending it\n`);
        worker.process.kill('SIGKILL');
        finish();
      }, START_TIMEOUT_MS);
      worker.once('listening', finish);
      worker.once('exit', finish);
    });
  };

  const onExit = (worker: Worker, code: number, signal: string) => {
    live.delete(worker.id);
    listening.delete(worker);
    relay.gone(worker);
    const peer = peers.get(worker);
    peers.delete(worker);
    if (peer !== undefined) coordinator.gone(peer);
    if (stopping) return;
    log(`Error: worker ${worker.process.pid} exited (${signal ?? code}); starting a new one\n`);
    setTimeout(() => void coordinator.exclusive(() => replace(worker)), 1000).unref();
  };
  cluster.on('exit', onExit);

  opts.onCluster?.({
    workers,
    requestCounts: () =>
      Promise.all(
        order.map(
          (worker) =>
            new Promise<number>((answer) => {
              const id = nextStatsId++;
              const timer = setTimeout(() => answer(0), 5000);
              stats.set(id, (n) => (clearTimeout(timer), stats.delete(id), answer(n)));
              if (worker.isConnected()) worker.send({ kes: 'stats-req', id } satisfies ToWorker);
            }),
        ),
      ),
  });

  // reloads: SIGHUP re-reads the config; renewed TLS files are noticed within seconds and re-read every 15 minutes
  const unsubscribe = opts.onReload?.(() => void coordinator.request('config'));
  watcher = watchTlsFiles(inForce.config, opts.cwd, () => coordinator.request('tls'), log);
  const timer = setInterval(() => void coordinator.request('tls'), TLS_REREAD_MS);
  timer.unref();

  if (!opts.stop.aborted) await new Promise<void>((r) => opts.stop.addEventListener('abort', () => r(), { once: true }));
  log(shutdownLine(opts.stop));
  stopping = true;
  unsubscribe?.();
  clearInterval(timer);
  watcher.close();
  const closing = coordinator.close();
  const clean = await stopAll(live, (worker) => listening.has(worker));
  await closing;
  cluster.off('message', onMessage);
  cluster.off('exit', onExit);
  return clean ? 0 : 1;
}
