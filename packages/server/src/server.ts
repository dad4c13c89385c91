/**
 * `startServer`: the KES HTTP API over TLS (HTTP/2 and HTTP/1.1 on one port), wired from {@link ServerOptions}.
 */
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { timestampNow, type KeyCache, type StoredKey } from '@kes/core';
import { LISTENER_TLS_OPTIONS, secureContextOptions } from './auth/tls.js';
import { ConnectionTracker } from './connections.js';
import { handleClientErrors } from './http/client-error.js';
import type { ServerServices } from './context.js';
import { AuditLog } from './log/audit-log.js';
import { ErrorLog } from './log/error-log.js';
import { LogLevel } from './log/levels.js';
import { LogHub } from './log/log-hub.js';
import { applyListenerLimits, http2Settings } from './limits/apply-limits.js';
import { resolveLimits } from './limits/server-limits.js';
import { ServerMetrics } from './metrics/metrics.js';
import { OpsMetrics } from './metrics/ops-metrics.js';
import { createRequestListener } from './pipeline.js';
import type { KesServer, ServerOptions } from './server-options.js';
import { buildState, createCache, sameCache } from './state.js';
import { StateHolder } from './state-holder.js';
import { createStartupKeys } from './startup-keys.js';
import { attachTransportEvents, dropListener } from './transport-events.js';

/** How long `close()` lets in-flight requests finish before connections are destroyed. */
export const DRAIN_TIMEOUT_MS = 5_000;


function listen(server: Http2SecureServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts a server: validates the TLS material, creates the `keys:`, listens.
 * @returns the running server once it accepts connections.
 * @throws Error (rejects) for an unusable TLS configuration (e.g. `invalid TLS certificate: certificate does not
 *   contain any DNS or IP address as SAN`), a `keys:` entry that cannot be created (`failed to create key '<n>': …`),
 *   or a listen error (e.g. `EADDRINUSE`); RangeError for an out-of-range `limits` field. The keystore is closed when the start fails after TLS validation.
 */
export async function startServer(options: ServerOptions): Promise<KesServer> {
  const secure = secureContextOptions(options.tls);
  let limits = resolveLimits(options.limits);
  const startedAt = performance.now();
  const metrics = new ServerMetrics(startedAt);
  const services: ServerServices = {
    metrics,
    errorLog: new ErrorLog(new LogHub(), options.log?.stderr ?? process.stderr, options.log?.errorLevel ?? LogLevel.INFO, metrics),
    audit: new AuditLog(new LogHub(), options.log?.stdout ?? process.stdout, options.log?.auditLevel ?? LogLevel.INFO, metrics),
    startTime: timestampNow(),
    startedAt,
  };
  services.errorLog.format = options.log?.format ?? 'text';
  let current = options;
  const ops: OpsMetrics = new OpsMetrics(metrics.registry, { cache: () => states.state.cache, connections: () => tracker.size });
  const newCache = (o: ServerOptions): KeyCache<StoredKey> => {
    const cache = createCache(o, ops.keystore);
    ops.cache.track(cache);
    return cache;
  };
  const states = new StateHolder(buildState(options, newCache(options)));
  const server = createSecureServer({ ...LISTENER_TLS_OPTIONS, ...secure, settings: http2Settings(limits) });
  const tracker = new ConnectionTracker(limits, dropListener(services.errorLog, ops.transport));
  ops.transport.setCertificate(options.tls.cert);
  const cluster = options.cluster;
  if (cluster !== undefined) {
    server.setTicketKeys(cluster.ticketKeys);
    cluster.attach({ registry: metrics.registry, audit: services.audit.hub, error: services.errorLog.hub });
    metrics.useExposition(() => cluster.exposition());
  }
  try {
    await createStartupKeys(options.keys ?? [], states.state);
    tracker.attach(server);
    handleClientErrors(server);
    applyListenerLimits(server, limits);
    server.on('request', createRequestListener({ services, states, maxHeaderBytes: () => limits.maxHeaderBytes }));
    attachTransportEvents(server, states, services.errorLog, ops.transport, (socket) => tracker.closedByLimit(socket));
    await listen(server, options.listen.host, options.listen.port);
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.listen.port;
    let closing: Promise<void> | undefined;

    return {
      port,
      url: `https://${formatHost(options.listen.host)}:${port}`,
      async reload(next: ServerOptions): Promise<void> {
        if (closing !== undefined) throw new Error('server is closed');
        const nextSecure = secureContextOptions(next.tls);
        const nextLimits = resolveLimits(next.limits);
        const old = states.state;
        const prev = current;
        const cache = sameCache(prev, next) ? old.cache : newCache(next);
        const state = buildState(next, cache);
        try {
          await createStartupKeys(next.keys ?? [], state);
        } catch (err) {
          if (cache !== old.cache) {
            ops.cache.retire(cache);
            await cache.close();
          }
          throw err;
        }
        server.setSecureContext(nextSecure);
        if (cluster !== undefined) server.setTicketKeys(cluster.ticketKeys); // a new context gets new keys otherwise
        ops.transport.setCertificate(next.tls.cert);
        limits = nextLimits;
        tracker.setLimits(limits);
        applyListenerLimits(server, limits);
        services.errorLog.level = next.log?.errorLevel ?? LogLevel.INFO;
        services.errorLog.format = next.log?.format ?? 'text';
        services.audit.level = next.log?.auditLevel ?? LogLevel.INFO;
        current = next;
        states.swap(state, async () => {
          if (cache !== old.cache) {
            ops.cache.retire(old.cache);
            await old.cache.close();
          }
          if (next.keystore !== prev.keystore) await prev.keystore.close();
        });
      },
      close(): Promise<void> {
        closing ??= (async () => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          services.audit.hub.closeAll();
          services.errorLog.hub.closeAll();
          await tracker.shutdown(DRAIN_TIMEOUT_MS);
          await closed;
          await states.drained();
          await states.state.cache.close();
          await current.keystore.close();
          services.audit.flush();
        })();
        return closing;
      },
    };
  } catch (err) {
    server.close();
    await tracker.shutdown(0);
    await states.state.cache.close();
    await options.keystore.close();
    throw err;
  }
}
