/**
 * Transport metrics: failed TLS handshakes (by reason), the server certificate's expiry, open connections and the
 * connections the server closed on its own because of a limit.
 */
import { X509Certificate } from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DropReason } from '../connections.js';

/** Why a handshake failed: a TLS error, the handshake timeout, or a client certificate that failed verification. */
export type HandshakeFailure = 'error' | 'timeout' | 'unverified';

/**
 * The expiry (notAfter) of the first certificate in `pem`, in seconds since the Unix epoch.
 * @returns `undefined` when the PEM does not parse.
 */
export function certificateExpiry(pem: string | Buffer): number | undefined {
  try {
    const ms = Date.parse(new X509Certificate(pem).validTo);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  } catch {
    return undefined;
  }
}

/** The transport families of one registry. */
export class TransportMetrics {
  readonly #handshakes: Counter<'reason'>;
  readonly #dropped: Counter<'reason'>;
  readonly #expiry: Gauge;

  /** @param openConnections - reads the number of open connections. */
  constructor(registry: Registry, openConnections: () => number) {
    const registers = [registry];
    this.#handshakes = new Counter({ name: 'kes_tls_handshake_failures', help: 'Number of failed TLS handshakes by reason (error, timeout, unverified).', labelNames: ['reason'], registers });
    this.#expiry = new Gauge({ name: 'kes_tls_certificate_expiry', help: 'Expiry time (notAfter) of the server certificate, in seconds since the Unix epoch.', registers, aggregator: 'min' });
    new Gauge({ name: 'kes_http_connections', help: 'Number of open client connections.', registers, aggregator: 'sum', collect() { this.set(openConnections()); } });
    this.#dropped = new Counter({ name: 'kes_http_connections_dropped', help: 'Number of connections the server closed on its own (a timeout, the connection limit, an HTTP/2 reset flood or a peer that stopped answering), by reason.', labelNames: ['reason'], registers });
  }

  /** A TLS handshake failed. */
  handshakeFailed(reason: HandshakeFailure): void {
    this.#handshakes.inc({ reason });
  }

  /** The server closed a connection because of a limit. */
  connectionDropped(reason: DropReason): void {
    this.#dropped.inc({ reason });
  }

  /** Sets the certificate expiry gauge from the server certificate in use. */
  setCertificate(pem: string | Buffer): void {
    const expiry = certificateExpiry(pem);
    if (expiry !== undefined) this.#expiry.set(expiry);
  }
}
