/**
 * Connection floods: many idle keep-alive connections held open (each made one request), and storms of new mTLS
 * handshakes (each connection makes one request and closes).
 */
import type { TLSSocket } from 'node:tls';
import type { CertPair } from '../support/pki.js';
import { exchange, openTls } from '../support/raw-http.js';
import { countKind, summarize, type KindCounts, type LatencySummary } from '../support/stats.js';

const VERSION = 'GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** Held-open connections. */
export interface IdleFlood {
  readonly opened: number;
  readonly outcomes: KindCounts;
  readonly openMs: number;
  /** How many are still open (the server closed none). */
  stillOpen(): number;
  close(): void;
}

/** Opens `n` TLS connections (`batch` at a time), each makes one keep-alive request and then stays idle. */
export async function openIdle(port: number, client: CertPair, n: number, batch = 200): Promise<IdleFlood> {
  const sockets: TLSSocket[] = [];
  const outcomes: KindCounts = {};
  const t0 = performance.now();
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, async () => {
        try {
          const socket = await openTls(port, client);
          const out = await exchange(socket, VERSION, { deadlineMs: 10_000 });
          countKind(outcomes, out.status === 200 && !out.closed ? 'open-idle' : `status-${out.status}${out.closed ? '+closed' : ''}`);
          sockets.push(socket);
        } catch (err) {
          countKind(outcomes, (err as { code?: string }).code ?? 'connect-error');
        }
      }),
    );
  }
  return {
    opened: sockets.length,
    outcomes,
    openMs: Math.round(performance.now() - t0),
    stillOpen: () => sockets.filter((s) => !s.destroyed && !s.readableEnded).length,
    close: () => sockets.forEach((s) => s.destroy()),
  };
}

/** Figures of handshake storms. */
export interface StormFigures {
  readonly storms: number;
  readonly handshakes: number;
  readonly outcomes: KindCounts;
  /** Handshake + request + close, per connection (ms). */
  readonly connectionTime: LatencySummary;
  /** Wall time of each storm (ms). */
  readonly stormMs: readonly number[];
}

/** Storms of `size` simultaneous new mTLS connections (each one request, then closed), repeated until `forMs` passed (at least one). */
export async function handshakeStorms(port: number, client: CertPair, size: number, forMs: number): Promise<StormFigures> {
  const outcomes: KindCounts = {};
  const times: number[] = [];
  const stormMs: number[] = [];
  const until = performance.now() + forMs;
  do {
    const s0 = performance.now();
    await Promise.all(
      Array.from({ length: size }, async () => {
        const t0 = performance.now();
        try {
          const socket = await openTls(port, client);
          const out = await exchange(socket, VERSION, { deadlineMs: 15_000 });
          socket.destroy();
          countKind(outcomes, out.status === 200 ? 'ok' : `status-${out.status}`);
          times.push(performance.now() - t0);
        } catch (err) {
          countKind(outcomes, (err as { code?: string }).code ?? 'connect-error');
        }
      }),
    );
    stormMs.push(Math.round(performance.now() - s0));
  } while (performance.now() < until);
  return { storms: stormMs.length, handshakes: stormMs.length * size, outcomes, connectionTime: summarize(times), stormMs };
}
