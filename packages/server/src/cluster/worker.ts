/**
 * A worker process of a multi-process server: the ordinary one-process launcher, told by the primary what only one
 * process may do or what all must share — no `keys:` at start-up or reload (the primary created them), the shared TLS
 * session-ticket keys, log-stream lines to and from the other workers, the cluster's metrics for `/v1/metrics` — and
 * stopped or reloaded by the primary.
 */
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { LaunchOptions } from '../launch/launch.js';
import type { RunContext } from '../launch/run-server.js';
import type { LogHub, RemoteSubscribers } from '../log/log-hub.js';
import type { ClusterHooks } from '../server-options.js';
import { isKesMessage, type StreamName, type ToPrimary, type ToWorker } from './messages.js';

/** The one-process launcher, with the run-context extras a worker needs. */
export type SingleLauncher = (opts: LaunchOptions & Pick<RunContext, 'adjustOptions' | 'quiet'>) => Promise<number>;

function send(msg: ToPrimary): void {
  if (process.connected) process.send?.(msg);
}

/** The primary's `init`, or `undefined` when the primary went away first. */
function firstInit(): Promise<Extract<ToWorker, { kes: 'init' }> | undefined> {
  return new Promise((resolve) => {
    const onMessage = (msg: unknown) => {
      if (!isKesMessage(msg) || msg.kes !== 'init') return;
      done(msg as Extract<ToWorker, { kes: 'init' }>);
    };
    const onDisconnect = () => done(undefined);
    const done = (init: Extract<ToWorker, { kes: 'init' }> | undefined) => {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      resolve(init);
    };
    process.on('message', onMessage);
    process.on('disconnect', onDisconnect);
    send({ kes: 'hello' });
  });
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
 * @returns the launcher's exit status.
 */
export async function runClusterWorker(opts: LaunchOptions, single: SingleLauncher): Promise<number> {
  const init = await firstInit();
  if (init === undefined) return 1;
  const stop = new AbortController();
  const reloadListeners = new Set<() => void>();
  const relays = { audit: new HubRelay('audit'), error: new HubRelay('error') };
  const hubs: Partial<Record<StreamName, LogHub>> = {};
  const pending = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
  let registry: Registry | undefined;
  let nextId = 0;

  const onMessage = (msg: unknown) => {
    if (!isKesMessage(msg)) return;
    const m = msg as ToWorker;
    switch (m.kes) {
      case 'stop':
        stop.abort('SIGTERM');
        break;
      case 'reload':
        for (const listener of reloadListeners) listener();
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
  process.on('message', onMessage);
  process.on('disconnect', () => stop.abort('SIGTERM')); // the primary is gone
  process.on('SIGHUP', () => undefined); // reloads come from the primary (a terminal hang-up reaches every process)

  const hooks: ClusterHooks = {
    ticketKeys: Buffer.from(init.ticketKeys, 'hex'),
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
  };

  try {
    return await single({
      ...opts,
      stop: AbortSignal.any([opts.stop, stop.signal]),
      onReload: (listener) => {
        reloadListeners.add(listener);
        return () => reloadListeners.delete(listener);
      },
      quiet: init.index > 0,
      adjustOptions: (options) => ({ ...options, keys: [], cluster: hooks }),
    });
  } finally {
    process.off('message', onMessage);
  }
}
