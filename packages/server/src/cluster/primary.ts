/**
 * The primary of a multi-process server (node:cluster; workers share the port, connections are handed out round
 * robin): it does once what one process would do once — create the config's `keys:` at start and before each reload,
 * generate the TLS session-ticket keys every worker uses — and connects the workers: log-stream lines reach the
 * subscribers on every worker, `/v1/metrics` on any worker answers for all of them, SIGHUP reaches all, a stop drains
 * all. The first worker prints the banner; a worker that dies is replaced.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { AggregatorRegistry } from 'prom-client';
import { createKeystore, createKeystoreRegistry, loadConfigFile, type ServerConfig } from '../config/index.js';
import type { LaunchOptions } from '../launch/launch.js';
import type { ServerArgs } from '../launch/args.js';
import { createKeysOnce } from './keys-once.js';
import { LogRelay } from './log-relay.js';
import { WORKER_ENV, isKesMessage, type ToPrimary, type ToWorker } from './messages.js';

/** What a program that embeds the server (the benchmark) can ask the running cluster. */
export interface ClusterControl {
  /** The number of worker processes. */
  readonly workers: number;
  /** Requests each worker has served so far (metered requests), in worker order. */
  requestCounts(): Promise<number[]>;
}

/** How long a stop waits for the workers to drain before they are killed. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * Loads the config as the primary needs it (keys and the keystore kind), or `undefined` when it does not load — the
 * one-process launcher then reports the problems exactly as usual.
 */
export async function loadForPrimary(opts: LaunchOptions, args: ServerArgs): Promise<ServerConfig | undefined> {
  try {
    return await loadConfigFile(resolve(opts.cwd, args.config!), { env: opts.env, registry: createKeystoreRegistry(opts.importModule), cwd: opts.cwd });
  } catch {
    return undefined;
  }
}

/**
 * Runs `workers` worker processes for `config` until `opts.stop` fires.
 * @returns 0 when every worker stopped cleanly, 1 when the start failed (keys, a worker) or a worker did not stop
 *   cleanly. Never throws.
 */
export async function runClusterPrimary(
  opts: LaunchOptions & { onCluster?: (control: ClusterControl) => void },
  args: ServerArgs,
  config: ServerConfig,
  workers: number,
): Promise<number> {
  const registry = createKeystoreRegistry(opts.importModule);
  const keysFailed = await createKeysOnce(config, () => createKeystore(config, registry, opts.cwd, { warn: () => undefined }));
  if (keysFailed !== undefined) {
    opts.stderr.write(`Error: ${keysFailed}\n`);
    return 1;
  }
  const ticketKeys = randomBytes(48).toString('hex');
  const relay = new LogRelay();
  const aggregator = new AggregatorRegistry();
  const live = new Map<number, Worker>();
  const order: Worker[] = [];
  const stats = new Map<number, (requests: number) => void>();
  const indexOf = new WeakMap<Worker, number>();
  let stopping = false;
  let nextIndex = 0;
  let nextStatsId = 0;

  const onMessage = (worker: Worker, msg: unknown) => {
    if (!isKesMessage(msg)) return;
    const m = msg as ToPrimary;
    switch (m.kes) {
      case 'hello':
        worker.send({ kes: 'init', ticketKeys, index: indexOf.get(worker) ?? 1 } satisfies ToWorker);
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
    return worker;
  };

  // start: every worker listening, or the first one that exits before (its launcher printed why)
  const started = await new Promise<boolean>((done) => {
    let listening = 0;
    const onListening = () => {
      if (++listening === workers) finish(true);
    };
    const onExit = () => finish(false);
    const onStop = () => finish(false);
    const finish = (ok: boolean) => {
      cluster.off('listening', onListening);
      cluster.off('exit', onExit);
      opts.stop.removeEventListener('abort', onStop);
      done(ok);
    };
    cluster.on('listening', onListening);
    cluster.on('exit', onExit);
    opts.stop.addEventListener('abort', onStop, { once: true });
    for (let i = 0; i < workers; i++) fork();
  });
  if (!started) {
    stopping = true;
    await stopAll(live);
    cluster.off('message', onMessage);
    return opts.stop.aborted ? 0 : 1;
  }

  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker.id);
    relay.gone(worker);
    const at = order.indexOf(worker);
    if (stopping) return;
    opts.stderr.write(`Error: worker ${worker.process.pid} exited (${signal ?? code}); starting a new one\n`);
    setTimeout(() => {
      if (stopping) return;
      const replacement = fork();
      order.pop(); // fork() appended it; it takes the dead worker's place instead
      if (at >= 0) order.splice(at, 1, replacement);
      else order.push(replacement);
    }, 1000).unref();
  });

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

  const unsubscribe = opts.onReload?.(() => {
    void (async () => {
      const next = await loadForPrimary(opts, args);
      if (next !== undefined) {
        const failed = await createKeysOnce(next, () => createKeystore(next, registry, opts.cwd, { warn: () => undefined }));
        if (failed !== undefined) {
          opts.stderr.write(`Error: reload failed, the running configuration stays in effect:\n${failed}\n`);
          return;
        }
      }
      // a config that does not load is reloaded by the workers too: each reports the problems and keeps its config
      for (const worker of live.values()) if (worker.isConnected()) worker.send({ kes: 'reload' } satisfies ToWorker);
    })();
  });

  if (!opts.stop.aborted) await new Promise<void>((r) => opts.stop.addEventListener('abort', () => r(), { once: true }));
  stopping = true;
  unsubscribe?.();
  const clean = await stopAll(live);
  cluster.off('message', onMessage);
  return clean ? 0 : 1;
}

/** Asks every worker to drain and exit; kills what is left after {@link STOP_TIMEOUT_MS}. @returns whether all exited with 0. */
async function stopAll(live: Map<number, Worker>): Promise<boolean> {
  const exits = [...live.values()].map(
    (worker) =>
      new Promise<boolean>((done) => {
        if (worker.isDead()) return done(worker.process.exitCode === 0);
        worker.once('exit', (code) => done(code === 0));
        if (worker.isConnected()) worker.send({ kes: 'stop' } satisfies ToWorker);
        else worker.process.kill('SIGTERM');
      }),
  );
  const timer = setTimeout(() => {
    for (const worker of live.values()) if (!worker.isDead()) worker.process.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  const results = await Promise.all(exits);
  clearTimeout(timer);
  return results.every(Boolean);
}
