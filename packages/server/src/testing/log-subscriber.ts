/** Test support: a client of `/v1/log/audit` or `/v1/log/error` over HTTP/1.1 or HTTP/2 that collects the lines. */
import { connect } from 'node:http2';
import { get } from 'node:https';
import type { CertPair } from './certs.js';
import type { Fixtures, TestServer } from './harness.js';

/** A running subscription. */
export interface Subscription {
  lines: string[];
  contentType: string | undefined;
  /** Resolves once `n` lines arrived (rejects after 3 s). */
  waitFor(n: number): Promise<string[]>;
  close(): void;
}

/** Subscribes to `path` on `srv` with `cert` (default: the admin's); resolves once the response headers arrived. */
export function subscribe(srv: TestServer, fx: Fixtures, path: string, protocol: 'h1' | 'h2', cert: CertPair = fx.admin): Promise<Subscription> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let partial = '';
    const waiters: Array<() => void> = [];
    const onData = (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
      for (const w of waiters.splice(0)) w();
    };
    const make = (contentType: string | undefined, close: () => void): Subscription => ({
      lines,
      contentType,
      close,
      waitFor(n) {
        return new Promise((res, rej) => {
          const timer = setTimeout(() => rej(new Error(`only ${lines.length} of ${n} lines: ${lines.join('\n')}`)), 3000);
          const check = () => {
            if (lines.length >= n) {
              clearTimeout(timer);
              res(lines.slice(0, n));
            } else waiters.push(check);
          };
          check();
        });
      },
    });
    const opts = { ca: fx.server.certPem, cert: cert.certPem, key: cert.keyPem };
    if (protocol === 'h1') {
      const req = get(`${srv.server.url}${path}`, { ...opts, agent: false }, (res) => {
        res.on('data', onData);
        res.on('error', () => undefined);
        resolve(make(res.headers['content-type'], () => req.destroy()));
      });
      req.on('error', reject);
    } else {
      const session = connect(srv.server.url, opts);
      session.on('error', () => undefined);
      const stream = session.request({ ':path': path });
      stream.on('response', (h) => resolve(make(h['content-type'] as string, () => session.destroy())));
      stream.on('data', onData);
      stream.on('error', () => undefined);
    }
  });
}

