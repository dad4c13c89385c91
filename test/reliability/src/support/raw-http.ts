/**
 * HTTP/1.1 by hand over TLS: the bytes of a request exactly as a test writes them (smuggling attempts, mutated
 * requests), and the server's answer parsed just enough to judge it — status, headers, whether the connection closed.
 */
import { connect, type TLSSocket } from 'node:tls';
import type { CertPair } from './pki.js';

/** What came back for one request. */
export interface RawOutcome {
  /** The status of the first response, or 0 when the connection closed (or the deadline passed) without one. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Every status line received in the read window (a smuggled second request would show up as a second one). */
  readonly statuses: readonly number[];
  /** Whether the server closed the connection within the read window. */
  readonly closed: boolean;
  /** Whether the deadline passed with the connection open and no complete response. */
  readonly hung: boolean;
  readonly ms: number;
}

/** A TLS connection (ALPN http/1.1) with a client certificate; resolves after the handshake. */
export function openTls(port: number, client: CertPair | undefined): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], cert: client?.certPem, key: client?.keyPem });
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Parses the responses in `data` (latin1): status lines and the first response's headers; `complete` once the first is whole. */
function parse(data: string, head: boolean): { statuses: number[]; headers: Record<string, string>; complete: boolean } {
  const statuses: number[] = [];
  let headers: Record<string, string> = {};
  let complete = false;
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const lines = data.slice(at, end).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!m) break;
    const status = Number(m[1]);
    const h: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = head || status === 100 || status === 304 ? 0 : Number(h['content-length'] ?? 0);
    if (status === 100) {
      at = end + 4;
      continue;
    }
    if (end + 4 + length > data.length) break;
    statuses.push(status);
    if (statuses.length === 1) {
      headers = h;
      complete = true;
    }
    at = end + 4 + length;
  }
  return { statuses, headers, complete };
}

/**
 * Writes `bytes` on `socket` and reads until the first response is complete (then `lingerMs` more, to catch a close
 * or a second response), the connection closes, or `deadlineMs` passes. Never throws.
 */
export function exchange(socket: TLSSocket, bytes: Buffer | string, opts: { deadlineMs: number; lingerMs?: number; head?: boolean }): Promise<RawOutcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let data = '';
    let settled = false;
    let linger: NodeJS.Timeout | undefined;
    const finish = (closed: boolean, hung: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(linger);
      socket.off('data', onData);
      socket.off('close', onClose);
      const r = parse(data, opts.head === true);
      resolve({ status: r.statuses[0] ?? 0, headers: r.headers, statuses: r.statuses, closed, hung: hung && !r.complete, ms: performance.now() - t0 });
    };
    const onData = (d: Buffer) => {
      data += d.toString('latin1');
      if (linger === undefined && parse(data, opts.head === true).complete) {
        linger = setTimeout(() => finish(socket.destroyed || socket.readableEnded, false), opts.lingerMs ?? 0);
      }
    };
    const onClose = () => finish(true, false);
    const deadline = setTimeout(() => finish(false, true), opts.deadlineMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    if (socket.destroyed) return finish(true, false);
    socket.write(bytes);
  });
}

/** Opens a connection, sends `bytes`, reads the answer (see {@link exchange}) and destroys the connection. */
export async function rawRequest(port: number, client: CertPair | undefined, bytes: Buffer | string, opts: { deadlineMs: number; lingerMs?: number; head?: boolean }): Promise<RawOutcome> {
  const socket = await openTls(port, client);
  try {
    return await exchange(socket, bytes, opts);
  } finally {
    socket.destroy();
  }
}
