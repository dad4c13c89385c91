/**
 * A worker process of a multi-process server: the ordinary one-process launcher, told by the primary what only one
 * process may do or what all must share — the config file's contents (the primary read them), no `keys:` at start-up
 * or reload (the primary created them), the shared TLS session-ticket keys, log-stream lines to and from the other
 * workers, the cluster's metrics for `/v1/metrics` — and stopped or reloaded by the primary: a reload is prepared,
 * acknowledged, and applied only when the primary says every worker prepared it; the worker logs nothing about it.
 */
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { LaunchOptions } from '../launch/launch.js';
import type { RunningServer } from '../launch/run-server.js';
import type { LogHub, RemoteSubscribers } from '../log/log-hub.js';
import type { ClusterHooks } from '../server-options.js';
import { isKesMessage, type StreamName, type ToPrimary, type ToWorker } from './messages.js';
import { WorkerReloads } from './worker-reloads.js';

/** The one-process launcher (a worker sets the options meant for cluster workers). */
export type SingleLauncher = (opts: LaunchOptions) => Promise<number>;

function send(msg: ToPrimary): void {
  if (process.connected) process.send?.(msg);
}

/** The worker side of a log hub: lines go to the primary while another worker has subscribers. */
class HubRelay implements RemoteSubscribers {
  wanted = false;
  constructor(readonly stream: StreamName) {}
  send(line: string): void {
    send({ kes: 'log', stream: this.stream, line });
  }
  localCount(count: number): void {
    send({ kes: 'log-count', stream: this.stream, count });
  }
}

/** Requests served by this worker: the count of the response-time histogram (every metered request). */
async function requestsServed(registry: Registry | undefined): Promise<number> {
  const metric = registry?.getSingleMetric('kes_http_response_time');
  if (metric === undefined) return 0;
  const data = await metric.get();
  return data.values.find((v) => (v as { metricName?: string }).metricName === 'kes_http_response_time_count')?.value ?? 0;
}

/**
 * Runs this process as a cluster worker until the primary (or a signal) stops it.
 * @returns the launcher's exit status (1 when the primary went away before it said how to start).
 */
export async function runClusterWorker(opts: LaunchOptions, single: SingleLauncher): Promise<number> {
  const stop = new AbortController();
  const relays = { audit: new HubRelay('audit'), error: new HubRelay('error') };
  const hubs: Partial<Record<StreamName, LogHub>> = {};
  const pending = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
  let registry: Registry | undefined;
  let nextId = 0;
  let gotInit: (init: Extract<ToWorker, { kes: 'init' }> | undefined) => void = () => undefined;
  const init = new Promise<Extract<ToWorker, { kes: 'init' }> | undefined>((resolve) => (gotInit = resolve));
  let gotRunning: (running: RunningServer) => void = () => undefined;
  let neverRunning: (err: Error) => void = () => undefined;
  const reloads = new WorkerReloads(new Promise<RunningServer>((resolve, reject) => ((gotRunning = resolve), (neverRunning = reject))), send);

  // one handler from the start: messages that arrive together with `init` must not be lost
  const onMessage = (msg: unknown) => {
    if (!isKesMessage(msg)) return;
    const m = msg as ToWorker;
    switch (m.kes) {
      case 'init':
        gotInit(m);
        break;
      case 'stop':
        stop.abort('SIGTERM');
        break;
      case 'reload':
        void reloads.prepare(m);
        break;
      case 'reload-apply':
        void reloads.apply(m.id);
        break;
      case 'reload-drop':
        void reloads.drop(m.id);
        break;
      case 'log-wanted':
        relays[m.stream].wanted = m.wanted;
        break;
      case 'log':
        hubs[m.stream]?.publishLocal(m.line);
        break;
      case 'metrics-res': {
        const waiter = pending.get(m.id);
        pending.delete(m.id);
        if (m.text !== undefined) waiter?.resolve(m.text);
        else waiter?.reject(new Error(`cluster metrics: ${m.error ?? 'no answer'}`));
        break;
      }
      case 'stats-req':
        void requestsServed(registry).then((requests) => send({ kes: 'stats', id: m.id, requests }));
        break;
      default:
        break;
    }
  };
  const onDisconnect = () => (gotInit(undefined), stop.abort('SIGTERM')); // the primary is gone
  process.on('message', onMessage);
  process.on('disconnect', onDisconnect);
  process.on('SIGHUP', () => undefined); // reloads come from the primary (a terminal hang-up reaches every process)
  send({ kes: 'hello' });

  const hooks = (ticketKeys: Buffer): ClusterHooks => ({
    ticketKeys,
    attach(parts) {
      registry = parts.registry;
      new AggregatorRegistry(); // answers the primary's metric requests from this process
      AggregatorRegistry.setRegistries([parts.registry]);
      hubs.audit = parts.audit;
      hubs.error = parts.error;
      parts.audit.remote = relays.audit;
      parts.error.remote = relays.error;
    },
    exposition() {
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ kes: 'metrics-req', id });
      });
    },
  });

  try {
    const first = await init;
    if (first === undefined) return 1;
    const clusterHooks = hooks(Buffer.from(first.ticketKeys, 'hex'));
    const { onReload: _signals, ...own } = opts; // reloads come from the primary only
    return await single({
      ...own,
      stop: AbortSignal.any([opts.stop, stop.signal]),
      quiet: first.index > 0,
      configText: first.config,
      coordinated: true,
      onRunning: gotRunning,
      adjustOptions: (options) => ({ ...options, keys: [], cluster: clusterHooks }),
    });
  } finally {
    neverRunning(new Error('the server is not running'));
    await reloads.close();
    process.off('message', onMessage);
    process.off('disconnect', onDisconnect);
  }
}
