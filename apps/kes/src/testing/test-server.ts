/**
 * Test helper: a real KES server (@kes/server + memory keystore) on 127.0.0.1 with an Ed25519 server certificate made
 * by this CLI's own `identity new` code, an admin API key and a policy, plus an in-process runner of the CLI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApiKey } from '@kes/core';
import { MemoryKeystore } from '@kes/keystore-memory';
import { startServer, type KesServer } from '@kes/server';
import { createSelfSignedCertificate } from '../identity/self-signed.js';

/** Swallows what the server logs. */
class NullSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    cb();
  }
}

/** A running test server and the files and credentials to reach it. */
export interface TestServer {
  server: KesServer;
  keystore: MemoryKeystore;
  /** `127.0.0.1:<port>`. */
  endpoint: string;
  /** Scratch directory (server cert at `server.crt`, key at `server.key`). */
  dir: string;
  /** Path of the server certificate (trust it with `--ca`). */
  caFile: string;
  admin: ApiKey;
  /** An identity with policy `reader` (may describe and list keys only). */
  reader: ApiKey;
  /** Environment for the CLI to talk to this server as admin (`KES_SERVER`, `KES_API_KEY`, `KES_CA_PATH`). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** Admin identity (default: the identity of the generated admin API key). */
  adminIdentity?: string;
  /** Server certificate and key PEM (default: a fresh Ed25519 certificate for 127.0.0.1/localhost). */
  tls?: { certPem: string; keyPem: string };
}

/** Starts a server; `close()` stops it and removes the scratch directory. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kes-cli-test-'));
  const serverKey = ApiKey.generate();
  const certPem = opts.tls?.certPem ?? await createSelfSignedCertificate({
    privateKey: serverKey.privateKey(),
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ips: ['127.0.0.1'],
    validForMs: 3600_000,
  });
  const keyPem = opts.tls?.keyPem ?? serverKey.privateKey().export({ format: 'pem', type: 'pkcs8' }).toString();
  const caFile = join(dir, 'server.crt');
  writeFileSync(caFile, certPem);
  writeFileSync(join(dir, 'server.key'), keyPem, { mode: 0o600 });
  const admin = ApiKey.generate();
  const reader = ApiKey.generate();
  const keystore = new MemoryKeystore();
  const server = await startServer({
    keystore,
    listen: { host: '127.0.0.1', port: 0 },
    tls: { key: keyPem, cert: certPem, auth: 'off' },
    adminIdentity: opts.adminIdentity ?? admin.identity,
    policies: {
      reader: { allow: ['/v1/key/describe/*', '/v1/key/list/*', '/v1/identity/self/describe'], deny: [], identities: [reader.identity] },
    },
    log: { stdout: new NullSink(), stderr: new NullSink() },
    version: { version: '2025-01-01T00-00-00Z', commit: 'abc123' },
  });
  const endpoint = `127.0.0.1:${server.port}`;
  return {
    server,
    keystore,
    endpoint,
    dir,
    caFile,
    admin,
    reader,
    env: { KES_SERVER: endpoint, KES_API_KEY: admin.toString(), KES_CA_PATH: caFile },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
