/**
 * `startServer`: the KES HTTP API over TLS (HTTP/2 and HTTP/1.1 on one port), wired from {@link ServerOptions}.
 */
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { timestampNow } from '@kes/core';
import { peerOf } from './auth/peer.js';
import { LISTENER_TLS_OPTIONS, secureContextOptions } from './auth/tls.js';
import { ConnectionTracker } from './connections.js';
import type { ServerServices } from './context.js';
import { AuditLog } from './log/audit-log.js';
import { ErrorLog } from './log/error-log.js';
import { LogLevel } from './log/levels.js';
import { LogHub } from './log/log-hub.js';
import { ServerMetrics } from './metrics/metrics.js';
import { createRequestListener } from './pipeline.js';
import type { KesServer, ServerOptions } from './server-options.js';
import { buildState, createCache, sameCache } from './state.js';
import { StateHolder } from './state-holder.js';
import { createStartupKeys } from './startup-keys.js';

/** How long `close()` lets in-flight requests finish before connections are destroyed. */
export const DRAIN_TIMEOUT_MS = 5_000;

/** Idle timeout of connections (Go server's `IdleTimeout`); log streams switch it off for their connection. */
export const IDLE_TIMEOUT_MS = 90_000;

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
 *   or a listen error (e.g. `EADDRINUSE`). The keystore is closed when the start fails after TLS validation.
 */
export async function startServer(options: ServerOptions): Promise<KesServer> {
  const secure = secureContextOptions(options.tls);
  const startedAt = performance.now();
  const metrics = new ServerMetrics(startedAt);
  const services: ServerServices = {
    metrics,
    errorLog: new ErrorLog(new LogHub(), options.log?.stderr ?? process.stderr, options.log?.errorLevel ?? LogLevel.INFO, metrics),
    audit: new AuditLog(new LogHub(), options.log?.stdout ?? process.stdout, options.log?.auditLevel ?? LogLevel.INFO, metrics),
    startTime: timestampNow(),
    startedAt,
  };
  let current = options;
  const states = new StateHolder(buildState(options, createCache(options)));
  const server = createSecureServer({ ...LISTENER_TLS_OPTIONS, ...secure });
  try {
    await createStartupKeys(options.keys ?? [], states.state);
    const tracker = new ConnectionTracker();
    tracker.attach(server);
    server.setTimeout(IDLE_TIMEOUT_MS);
    server.on('request', createRequestListener({ services, states, requestStarted: (req) => tracker.requestStarted(req) }));
    server.on('secureConnection', (socket: TLSSocket) => {
      const state = states.state;
      const peer = peerOf(socket);
      if (state.verifyCerts && peer.chain.length > 0 && !peer.authorized) {
        services.errorLog.info(`http: TLS handshake error from ${peer.ip ?? 'unknown'}: client certificate not verified: ${peer.authorizationError ?? 'unknown error'}`);
        socket.destroy();
      }
    });
    server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
      services.errorLog.info(`http: TLS handshake error from ${socket.remoteAddress ?? 'unknown'}: ${err.message}`);
    });
    server.on('sessionError', (err: Error) => services.errorLog.info(`http2: session error: ${err.message}`));
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
        const old = states.state;
        const prev = current;
        const cache = sameCache(prev, next) ? old.cache : createCache(next);
        const state = buildState(next, cache);
        try {
          await createStartupKeys(next.keys ?? [], state);
        } catch (err) {
          if (cache !== old.cache) await cache.close();
          throw err;
        }
        server.setSecureContext(nextSecure);
        services.errorLog.level = next.log?.errorLevel ?? LogLevel.INFO;
        services.audit.level = next.log?.auditLevel ?? LogLevel.INFO;
        current = next;
        states.swap(state, async () => {
          if (cache !== old.cache) await old.cache.close();
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
        })();
        return closing;
      },
    };
  } catch (err) {
    server.close();
    await states.state.cache.close();
    await options.keystore.close();
    throw err;
  }
}
