/**
 * A scenario's world: a scratch directory with the server certificate, an admin API key, a config file and a
 * kes-server process on it, plus an admin HTTP/1.1 client for set-up calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeConfig, type ConfigSpec } from './config-file.js';
import { h1Client, type Endpoint, type HttpClient, type Reply } from './http-client.js';
import { KesProcess, type SpawnKesOptions } from './kes-process.js';
import { newClientIdentity, writeServerCertificate, type CertPair, type ClientIdentity } from './pki.js';

/** A scratch directory with a server certificate and an admin identity. */
export interface Workspace {
  readonly dir: string;
  readonly tls: CertPair;
  readonly admin: ClientIdentity;
  /** An endpoint of `kes` for `who` (default: the admin). */
  endpoint(kes: KesProcess, who?: CertPair): Endpoint;
  /** Removes the directory. */
  dispose(): void;
}

/** Creates a {@link Workspace} under the OS temp directory. */
export async function createWorkspace(name: string): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), `kes-reliability-${name}-`));
  const tls = writeServerCertificate(dir);
  const admin = await newClientIdentity();
  return {
    dir,
    tls,
    admin,
    endpoint: (kes, who = admin) => ({ url: kes.url, ca: tls.certPem, certPem: who.certPem, keyPem: who.keyPem }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A server of a workspace with an `fs` keystore in `<dir>/keys`, and an admin client. */
export interface FsServer {
  readonly ws: Workspace;
  readonly kes: KesProcess;
  readonly configFile: string;
  readonly keysDir: string;
  /** Admin requests over HTTP/1.1 (10 s timeout). */
  call(method: string, path: string, body?: unknown): Promise<Reply>;
  /** Stops the process (SIGTERM) and closes the client; the workspace stays. */
  stop(): Promise<void>;
}

/**
 * Starts kes-server on `<ws.dir>/keys` with `spec` (admin and keystore filled in).
 * @throws Error when the server does not start.
 */
export async function startFsServer(ws: Workspace, spec: Partial<ConfigSpec> = {}, opts: SpawnKesOptions = {}): Promise<FsServer> {
  const keysDir = join(ws.dir, 'keys');
  const configFile = writeConfig(ws.dir, { adminIdentity: ws.admin.identity, keystore: { fs: { path: keysDir } }, ...spec });
  const kes = await KesProcess.start(configFile, opts);
  const client: HttpClient = h1Client(ws.endpoint(kes), 4);
  return {
    ws,
    kes,
    configFile,
    keysDir,
    call: (method, path, body) => client.request(method, path, body === undefined ? undefined : JSON.stringify(body), 10_000),
    async stop() {
      client.close();
      await kes.stop('SIGTERM');
    },
  };
}

/**
 * Calls `call` and checks for a 200.
 * @returns the parsed JSON body (or undefined for an empty one). @throws Error naming the status and body otherwise.
 */
export async function ok<T = unknown>(reply: Promise<Reply>): Promise<T> {
  const r = await reply;
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${r.body.toString('utf8')}`);
  return (r.body.length === 0 ? undefined : JSON.parse(r.body.toString('utf8'))) as T;
}
