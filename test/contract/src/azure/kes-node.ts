/**
 * Support: KES servers (`startServer` from @kes/server, in this process) on a given keystore, each with its own key
 * cache, and a client for each (an API key that is the admin identity, trusting the server's certificate).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { KesClient } from '@kes/client';
import { ApiKey, type Keystore } from '@kes/core';
import { startServer, type KesServer, type ServerOptions } from '@kes/server';

/** A self-signed ECDSA certificate for localhost and 127.0.0.1 made with the openssl CLI. */
export function localhostCertificate(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kes-azure-node-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Collects what the server logs (to assert on warnings and keep test output clean). */
export class LogSink extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text.push(chunk.toString('utf8'));
    callback();
  }
}

/** A running node: the server, a client for it and its error log. */
export interface KesNode {
  server: KesServer;
  client: KesClient;
  errors: LogSink;
  close(): Promise<void>;
}

/** Starts a server on `keystore` (which it owns) with the given cache settings, and a client for it. */
export async function startNode(
  keystore: Keystore,
  tls: { certPem: string; keyPem: string },
  options: Partial<Pick<ServerOptions, 'cache'>> = {},
): Promise<KesNode> {
  const apiKey = ApiKey.generate();
  const errors = new LogSink();
  const server = await startServer({
    keystore,
    listen: { host: '127.0.0.1', port: 0 },
    tls: { key: tls.keyPem, cert: tls.certPem, auth: 'off' },
    adminIdentity: apiKey.identity,
    policies: {},
    log: { stdout: new LogSink(), stderr: errors },
    ...options,
  });
  const client = await KesClient.create({ endpoints: server.url, apiKey: apiKey.toString(), ca: tls.certPem });
  return {
    server,
    client,
    errors,
    async close() {
      await client.close();
      await server.close();
    },
  };
}
