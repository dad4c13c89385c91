/**
 * Raw connections for limit tests: plain TCP (a client stuck in the TLS handshake) and TLS sockets that write bytes
 * by hand (slow heads and bodies), each reporting when the server closed it.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ClientCert } from './client.js';

/** A raw connection and when it closed. */
export interface RawConnection<S extends Socket> {
  readonly socket: S;
  /** Everything the server sent, as latin1 text. */
  received(): string;
  /** Resolves with the milliseconds from `t0` (connect start) to the close. */
  readonly closed: Promise<number>;
  /** Whether the socket is still open. */
  isOpen(): boolean;
}

function track<S extends Socket>(socket: S, t0: number): RawConnection<S> {
  let data = '';
  let open = true;
  socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      open = false;
      resolve(performance.now() - t0);
    }),
  );
  return { socket, received: () => data, closed, isOpen: () => open };
}

/** A TCP connection that never starts (or only starts, with `bytes`) the TLS handshake. */
export async function rawTcp(port: number, bytes?: Buffer): Promise<RawConnection<Socket>> {
  const t0 = performance.now();
  const socket = netConnect({ host: '127.0.0.1', port });
  const conn = track(socket, t0);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  if (bytes !== undefined) socket.write(bytes);
  return conn;
}

/** A TLS connection (ALPN `http/1.1` unless given) that has completed its handshake; `t0` is the handshake's end. */
export async function rawTls(port: number, cert?: ClientCert, alpn = 'http/1.1'): Promise<RawConnection<TLSSocket>> {
  const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: [alpn], cert: cert?.certPem, key: cert?.keyPem });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', reject);
  });
  return track(socket, performance.now());
}

/** Writes `text` one chunk every `everyMs` until the socket closes or `text` is sent; returns a stop function. */
export function drip(socket: Socket, text: string, everyMs: number, chunk = 1): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text.slice(i, i + chunk));
    i += chunk;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
  return () => clearInterval(timer);
}
