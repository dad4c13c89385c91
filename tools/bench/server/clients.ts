/**
 * Lean load-generator connections: HTTP/1.1 over a raw TLS socket (pre-built request bytes, a minimal response
 * parser — like wrk, so the client costs far less CPU than the server it measures) and HTTP/2 over `node:http2`.
 * Both present the bench client certificate (mTLS) and keep the connection alive.
 */
import { connect as h2connect, type ClientHttp2Session } from 'node:http2';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** Client credentials and target. */
export interface Target {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
}

/** One request as the workloads send it. */
export interface Req {
  method: string;
  path: string;
  body: Buffer;
}

/** A keep-alive connection that sends one request at a time. */
export interface Conn {
  /** Sends `req`; resolves with the HTTP status once the whole response arrived. */
  send(req: Req): Promise<number>;
  close(): void;
}

/** Pre-renders the HTTP/1.1 bytes of `req`. */
export function h1Bytes(req: Req): Buffer {
  const head = `${req.method} ${req.path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${req.body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), req.body]);
}

/** Opens an HTTP/1.1 connection (ALPN `http/1.1`). */
export function openH1(target: Target): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect({
      host: target.host,
      port: target.port,
      cert: target.certPem,
      key: target.keyPem,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    socket.setNoDelay(true);
    let buf: Buffer = Buffer.alloc(0);
    let waiting: { resolve: (s: number) => void; reject: (e: Error) => void } | undefined;
    const cache = new WeakMap<Req, Buffer>();
    const parse = () => {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0 || waiting === undefined) return;
      const head = buf.subarray(0, end).toString('latin1');
      const status = Number(head.slice(9, 12));
      const m = /\r\ncontent-length: *(\d+)/i.exec(head);
      const total = end + 4 + (m ? Number(m[1]) : 0);
      if (buf.length < total) return;
      buf = buf.subarray(total);
      const w = waiting;
      waiting = undefined;
      w.resolve(status);
    };
    socket.on('data', (d: Buffer) => {
      buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
      parse();
    });
    const fail = (err: Error) => {
      const w = waiting;
      waiting = undefined;
      w?.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    socket.once('secureConnect', () =>
      resolve({
        send(req) {
          let bytes = cache.get(req);
          if (bytes === undefined) cache.set(req, (bytes = h1Bytes(req)));
          return new Promise<number>((res, rej) => {
            waiting = { resolve: res, reject: rej };
            socket.write(bytes);
          });
        },
        close: () => socket.destroy(),
      }),
    );
    socket.once('error', reject);
  });
}

/** Opens an HTTP/2 session (ALPN `h2`). */
export function openH2(target: Target): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const session: ClientHttp2Session = h2connect(`https://${target.host}:${target.port}`, {
      cert: target.certPem,
      key: target.keyPem,
      rejectUnauthorized: false,
    });
    session.on('error', () => undefined);
    session.once('connect', () =>
      resolve({
        send(req) {
          return new Promise<number>((res, rej) => {
            const stream = session.request({
              ':method': req.method,
              ':path': req.path,
              'content-type': 'application/json',
              'content-length': String(req.body.length),
            });
            let status = 0;
            stream.on('response', (h) => (status = Number(h[':status'])));
            stream.on('data', () => undefined);
            stream.on('end', () => res(status));
            stream.on('error', rej);
            stream.end(req.body);
          });
        },
        close: () => session.destroy(),
      }),
    );
    session.once('error', reject);
  });
}

/**
 * One new mTLS connection with one request (`GET /version` over HTTP/1.1), closed afterwards: what a client without
 * connection reuse costs the server. Resolves with the status.
 */
export async function oneShot(target: Target): Promise<number> {
  const conn = await openH1(target);
  try {
    return await conn.send({ method: 'GET', path: '/version', body: Buffer.alloc(0) });
  } finally {
    conn.close();
  }
}
