/**
 * Slowloris at the three stages of a request: the TLS handshake (TCP connections that send nothing, or a ClientHello
 * one byte at a time), the request head (bytes dripped after the handshake, on a fresh connection or on a keep-alive
 * connection after a first request) and the body (a declared body dripped a byte at a time). The server must close
 * every one of them within its limit (`limits.handshake_timeout`, `limits.header_timeout`, the route timeout).
 */
import { createServer, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { CertPair } from '../support/pki.js';
import { exchange, openTls } from '../support/raw-http.js';
import { summarize, type LatencySummary } from '../support/stats.js';

/** Figures of one slowloris wave. */
export interface SlowFigures {
  readonly connections: number;
  /** Time from the start of the slow phase to the server's close, per connection (ms). */
  readonly closedAfter: LatencySummary;
  /** Connections the server had not closed when the wave was given up. */
  readonly stillOpen: number;
  /** Bytes the clients managed to drip before the close (all connections). */
  readonly bytesDripped: number;
}

/** The first flight of a TLS client (its ClientHello), captured from a local listener. */
export async function captureClientHello(): Promise<Buffer> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const hello = new Promise<Buffer>((resolve) => server.once('connection', (s: Socket) => s.once('data', (d: Buffer) => (resolve(d), s.destroy()))));
  const client = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] });
  client.on('error', () => undefined);
  const bytes = await hello;
  client.destroy();
  server.close();
  return bytes;
}

/** Drips `bytes` (then `tail` forever) into `socket`, one byte every `everyMs`, until it closes; resolves with close time and bytes sent. */
function drip(socket: Socket, bytes: Buffer, everyMs: number, giveUpMs: number): Promise<{ ms: number; open: boolean; sent: number }> {
  const t0 = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const done = (open: boolean) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ ms: performance.now() - t0, open, sent });
    };
    const timer = setInterval(() => {
      if (socket.destroyed) return;
      socket.write(bytes.subarray(sent % bytes.length, (sent % bytes.length) + 1));
      sent++;
    }, everyMs);
    const giveUp = setTimeout(() => (socket.destroy(), done(true)), giveUpMs);
    socket.once('close', () => done(false));
  });
}

async function wave(starts: Array<() => Promise<{ ms: number; open: boolean; sent: number }>>): Promise<SlowFigures> {
  const results = await Promise.all(starts.map((s) => s()));
  return {
    connections: results.length,
    closedAfter: summarize(results.filter((r) => !r.open).map((r) => r.ms)),
    stillOpen: results.filter((r) => r.open).length,
    bytesDripped: results.reduce((a, r) => a + r.sent, 0),
  };
}

/** `n` TCP connections: half silent, half dripping all but the last byte of a ClientHello. */
export async function slowHandshakes(port: number, n: number, everyMs: number, giveUpMs: number): Promise<SlowFigures> {
  const hello = (await captureClientHello()).subarray(0, -1);
  return wave(
    Array.from({ length: n }, (_, i) => async () => {
      const socket = netConnect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()).once('error', () => resolve()));
      return drip(socket, i % 2 === 0 ? hello : Buffer.alloc(0), i % 2 === 0 ? everyMs : giveUpMs * 2, giveUpMs);
    }),
  );
}

/** `n` TLS connections dripping an endless request head: half fresh, half after a completed keep-alive request. */
export async function slowHeads(port: number, client: CertPair, n: number, everyMs: number, giveUpMs: number): Promise<SlowFigures> {
  const head = Buffer.from('GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n' + 'X-Slow: 1\r\n'.repeat(10_000));
  return wave(
    Array.from({ length: n }, (_, i) => async () => {
      const socket = await openTls(port, client);
      if (i % 2 === 1) await exchange(socket, 'GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { deadlineMs: 10_000 });
      return drip(socket, head, everyMs, giveUpMs);
    }),
  );
}

/** `n` TLS connections that send a complete head declaring a body, then drip the body. */
export async function slowBodies(port: number, client: CertPair, path: string, n: number, everyMs: number, giveUpMs: number): Promise<SlowFigures> {
  const body = Buffer.from(`{"plaintext":"${'QUFB'.repeat(25_000)}"}`);
  const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  return wave(
    Array.from({ length: n }, () => async () => {
      const socket = await openTls(port, client);
      socket.write(head);
      return drip(socket, body, everyMs, giveUpMs);
    }),
  );
}
