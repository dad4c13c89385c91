/**
 * Starts a real server on 127.0.0.1:0 with a memory keystore, a test server certificate, an admin client certificate
 * and captured stdout/stderr, and hands out HTTP/1.1 and HTTP/2 clients for it.
 */
import { Writable } from 'node:stream';
import { MemoryKeystore } from '@kes/keystore-memory';
import { MAX_DELAY_MS } from '../log/batched-writer.js';
import type { KesServer, ServerOptions } from '../server-options.js';
import { startServer } from '../server.js';
import { apiKeyCert, Pki, type CertPair } from './certs.js';
import { h1Client, h2Client, type ClientCert, type TestClient } from './client.js';

/** Collects everything written to it, split into lines. */
export class LineSink extends Writable {
  readonly lines: string[] = [];
  #partial = '';

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    const parts = (this.#partial + chunk.toString('utf8')).split('\n');
    this.#partial = parts.pop() ?? '';
    this.lines.push(...parts);
    cb();
  }
}

/** Resolves once every stdout line queued so far is written (the audit log batches its lines for a few ms). */
export function logsWritten(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, MAX_DELAY_MS + 20));
}

/** Shared certificates of a test file. */
export interface Fixtures {
  pki: Pki;
  server: CertPair;
  admin: CertPair;
}

/** Creates the PKI, a server certificate for localhost/127.0.0.1 and an API-key admin certificate. */
export async function createFixtures(): Promise<Fixtures> {
  const pki = new Pki();
  const server = pki.issue({ san: 'DNS:localhost,IP:127.0.0.1', cn: 'localhost' });
  return { pki, server, admin: await apiKeyCert() };
}

/** A running test server. */
export interface TestServer {
  server: KesServer;
  keystore: MemoryKeystore;
  options: ServerOptions;
  stdout: LineSink;
  stderr: LineSink;
  /** A client over HTTP/1.1 (default) or HTTP/2 with `cert` (default: the admin's; `null`: none). */
  client(cert?: ClientCert | null, protocol?: 'h1' | 'h2'): TestClient;
  /** Closes every client made and the server. */
  close(): Promise<void>;
}

/** The options a test server starts with; `overrides` replace top-level fields (`log` is merged, keeping the sinks). */
export function baseOptions(fx: Fixtures, overrides: Partial<ServerOptions> = {}): ServerOptions {
  return {
    keystore: new MemoryKeystore(),
    listen: { host: '127.0.0.1', port: 0 },
    tls: { key: fx.server.keyPem, cert: fx.server.certPem, auth: 'off' },
    adminIdentity: fx.admin.identity,
    policies: {},
    version: { version: '2025-01-01T00-00-00Z', commit: 'abc123' },
    ...overrides,
    log: { stdout: new LineSink(), stderr: new LineSink(), ...overrides.log },
  };
}

/** Starts a server with {@link baseOptions} plus `overrides`. */
export async function startTestServer(fx: Fixtures, overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const options = baseOptions(fx, overrides);
  const server = await startServer(options);
  const clients: TestClient[] = [];
  return {
    server,
    keystore: options.keystore as MemoryKeystore,
    options,
    stdout: options.log!.stdout as LineSink,
    stderr: options.log!.stderr as LineSink,
    client(cert, protocol = 'h1') {
      const c = cert === null ? undefined : (cert ?? fx.admin);
      const client = protocol === 'h1' ? h1Client(server.url, fx.server.certPem, c) : h2Client(server.url, fx.server.certPem, c);
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
    },
  };
}
