/**
 * What the server does about transport events: client certificates that fail verification under `tls.auth: on`,
 * failed TLS handshakes, HTTP/2 session errors and connections closed because of a limit — each logged (like Go's
 * HTTP server logs them: INFO for handshake errors) and counted in the metrics.
 */
import type { Http2SecureServer } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { peerOf } from './auth/peer.js';
import type { DropListener } from './connections.js';
import type { ErrorLog } from './log/error-log.js';
import type { TransportMetrics } from './metrics/tls-metrics.js';
import type { StateHolder } from './state-holder.js';

/** The connection tracker's listener: handshake timeouts are logged at INFO like handshake errors, the rest at DEBUG. */
export function dropListener(errorLog: ErrorLog, transport: TransportMetrics): DropListener {
  return (reason, ip) => {
    transport.connectionDropped(reason);
    if (reason === 'handshake-timeout') {
      transport.handshakeFailed('timeout');
      errorLog.info(`http: TLS handshake error from ${ip ?? 'unknown'}: handshake timeout`);
    } else {
      errorLog.debug(`http: closed connection from ${ip ?? 'unknown'}: ${reason.replace('-', ' ')}`);
    }
  };
}

/**
 * Listens to `server`'s TLS and HTTP/2 session events. `closedByLimit` tells the handshake errors of connections the
 * tracker closed (already logged and counted as timeouts or evictions) from real ones.
 */
export function attachTransportEvents(
  server: Http2SecureServer,
  states: StateHolder,
  errorLog: ErrorLog,
  transport: TransportMetrics,
  closedByLimit: (socket: TLSSocket) => boolean,
): void {
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!states.state.verifyCerts) return;
    const peer = peerOf(socket);
    if (peer.chain.length > 0 && !peer.authorized) {
      transport.handshakeFailed('unverified');
      errorLog.info(`http: TLS handshake error from ${peer.ip ?? 'unknown'}: client certificate not verified: ${peer.authorizationError ?? 'unknown error'}`);
      socket.destroy();
    }
  });
  server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
    if (closedByLimit(socket)) return;
    transport.handshakeFailed('error');
    errorLog.info(`http: TLS handshake error from ${socket.remoteAddress ?? 'unknown'}: ${err.message}`);
  });
  server.on('sessionError', (err: Error) => errorLog.info(`http2: session error: ${err.message}`));
}
