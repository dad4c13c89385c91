/**
 * Test fixtures shared by the `*.test.ts` files (named `.spec.ts` so that it is type-checked with the tests, left out
 * of the library build, and not collected as a test file by vitest): a throw-away PKI made with the openssl CLI and
 * a tiny HTTPS stub server that asks for a client certificate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

/** Paths and PEM texts of a CA, a server certificate for 127.0.0.1/localhost and a self-signed client certificate. */
export interface Pki {
  dir: string;
  caFile: string;
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertFile: string;
  clientKeyFile: string;
  clientCertPem: string;
  clientKeyPem: string;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** Creates a fresh PKI in a temporary directory (EC P-256 keys; 1 day validity). */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'kes-client-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca'], dir);
  openssl(['req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
      '-extfile', 'server.ext', '-out', 'server.crt'],
    dir,
  );
  openssl(
    ['req', '-x509', ...ec, '-keyout', 'client.key', '-out', 'client.crt', '-days', '1', '-subj', '/CN=client',
      '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=clientAuth'],
    dir,
  );
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    caPem: read('ca.crt'),
    serverCertPem: read('server.crt'),
    serverKeyPem: read('server.key'),
    clientCertFile: join(dir, 'client.crt'),
    clientKeyFile: join(dir, 'client.key'),
    clientCertPem: read('client.crt'),
    clientKeyPem: read('client.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A running stub: its URL, the requests it saw, and `close()`. */
export interface Stub {
  url: string;
  port: number;
  requests: Array<{ method: string; path: string; body: string; headers: IncomingMessage['headers']; peerCert: boolean }>;
  close(): Promise<void>;
}

/** Handler of a stub; the request body has been read into `body`. */
export type StubHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * Starts an HTTPS stub on 127.0.0.1 with the PKI's server certificate, requesting (not verifying) client certs;
 * `tls` overrides the TLS options.
 */
export async function startStub(pki: Pki, handler: StubHandler, tls: ServerOptions = {}): Promise<Stub> {
  const requests: Stub['requests'] = [];
  const server: Server = createHttpsServer(
    { key: pki.serverKeyPem, cert: pki.serverCertPem, requestCert: true, rejectUnauthorized: false, ...tls },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          body,
          headers: req.headers,
          peerCert: peer !== null && Object.keys(peer).length > 0,
        });
        handler(req, res, body);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON answer like KES does (compact JSON + newline). */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Sends a KES error answer (`{"message":…\n}`). */
export function sendError(res: ServerResponse, status: number, message: string): void {
  const body = `{"message":${JSON.stringify(message)}\n}`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A TCP port on 127.0.0.1 that refuses connections (bound, then released). */
export async function refusedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Retry settings that keep tests fast (same rules, tiny delays). */
export const FAST_RETRY = { minDelayMs: 1, maxDelayMs: 5 } as const;
