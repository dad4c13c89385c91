/**
 * The server under test, as its own process and as plain JavaScript on the compiled packages (`dist`, what
 * `nx start kes-server` runs — not the tsx-transformed sources, whose extra per-closure work would distort the
 * figures): `kes` (this project's server, one process, default logging: the audit log goes to stdout, which the
 * orchestrator points at /dev/null), `bare-https` (a bare `node:https` server) or `bare-h2` (a bare `node:http2`
 * server) doing the same crypto for the same requests. Reports `{type:'ready', port}` over IPC and exits on
 * `{type:'stop'}`.
 *
 *   node target.mjs <mode> <setup.json> [workers]
 *
 * `kes-config` runs the kes server the way the app does — config file (fs keystore, `keys:`), `launchServer` — with
 * `workers` processes (node:cluster; 1 = one process); its workers re-run this file, which then becomes a worker.
 *
 * KES_BENCH_AUDIT=off runs the kes server without the stdout audit log; KES_BENCH_HEAP_PROFILE=<file> samples
 * allocations (short-lived garbage included) and writes them at stop to `<file>.<mode>`.
 */
import cluster from 'node:cluster';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { dirname, join } from 'node:path';
import { createSecureServer } from 'node:http2';
import { createServer } from 'node:https';
import { Session } from 'node:inspector';
import { decryptWithKey, generateDataKey, newStoredKey } from '@kes/core';
import { MemoryKeystore } from '@kes/keystore-memory';
import { LogLevel, startServer } from '@kes/server';
import { launchServer } from '@kes/server/launch';

const [mode, setupFile, workersArg] = process.argv.slice(2);
const setup = JSON.parse(readFileSync(setupFile, 'utf8'));

/** The launcher options of `kes-config` (identical in the primary and, re-run by node:cluster, in each worker). */
function configLaunch(stop, port, onCluster) {
  const dir = dirname(setupFile);
  return {
    argv: ['--config', join(dir, 'kes.yml'), '--addr', `127.0.0.1:${port}`, '--workers', workersArg ?? '1'],
    env: process.env,
    cwd: dir,
    stdout: process.stdout,
    stderr: process.stderr,
    importModule: (specifier) => import(specifier),
    version: 'bench',
    devCertDir: dir,
    stop,
    ...(onCluster ? { onCluster } : {}),
  };
}

if (cluster.isWorker) {
  // a worker of `kes-config`: the primary passed the port in the environment
  const stop = new AbortController();
  process.on('SIGTERM', () => stop.abort('SIGTERM'));
  process.exit(await launchServer(configLaunch(stop.signal, Number(process.env.KES_BENCH_PORT))));
}

async function freePort() {
  const probe = createNetServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts `kes-config`: writes the config, launches, waits until the port answers. */
async function startKesConfig() {
  const dir = dirname(setupFile);
  writeFileSync(
    join(dir, 'kes.yml'),
    `admin:\n  identity: ${setup.clientIdentity}\ntls:\n  key: server.key\n  cert: server.crt\nkeys:\n- name: ${setup.keyName}\nkeystore:\n  fs:\n    path: ./keys\n`,
  );
  const port = await freePort();
  process.env.KES_BENCH_PORT = String(port);
  const stop = new AbortController();
  let control;
  const exited = launchServer(configLaunch(stop.signal, port, (c) => (control = c)));
  // a server that cannot start (its launcher printed why) ends the target at once instead of being waited for
  void exited.then((code) => {
    if (!stop.signal.aborted) process.exit(code === 0 ? 1 : code);
  });
  for (;;) {
    const open = await new Promise((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, cert: setup.clientCertPem, key: setup.clientKeyPem }, () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (open) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (control !== undefined) while ((await control.requestCounts()).length < control.workers) await new Promise((r) => setTimeout(r, 100));
  return {
    port,
    counts: () => (control === undefined ? Promise.resolve([]) : control.requestCounts()),
    close: async () => {
      stop.abort('SIGTERM');
      await exited;
    },
  };
}

async function startKes() {
  const server = await startServer({
    keystore: new MemoryKeystore(),
    listen: { host: '127.0.0.1', port: 0 },
    tls: { key: setup.serverKeyPem, cert: setup.serverCertPem, auth: 'off' },
    adminIdentity: setup.clientIdentity,
    policies: {},
    keys: [setup.keyName],
    ...(process.env.KES_BENCH_AUDIT === 'off' ? { log: { auditLevel: LogLevel.OFF } } : {}),
  });
  return { port: server.port, close: () => server.close() };
}

/** The bare handler: parse the JSON body, generate or decrypt with an in-memory key, answer JSON. */
function bareHandler() {
  const key = newStoredKey({ createdBy: 'bench' });
  return (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const context = body.context === undefined ? undefined : Buffer.from(body.context, 'base64');
      let out;
      if (req.url === '/version') {
        out = JSON.stringify({ version: 'bare', commit: '' });
      } else if (req.url.startsWith('/v1/key/decrypt/')) {
        out = JSON.stringify({ plaintext: Buffer.from(decryptWithKey(key, Buffer.from(body.ciphertext, 'base64'), context)).toString('base64') });
      } else {
        const dek = generateDataKey(key, context);
        out = JSON.stringify({ plaintext: Buffer.from(dek.plaintext).toString('base64'), ciphertext: Buffer.from(dek.ciphertext).toString('base64') });
      }
      const bytes = Buffer.from(`${out}\n`);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.end(bytes);
    });
  };
}

async function startBare(h2) {
  const tls = { key: setup.serverKeyPem, cert: setup.serverCertPem, requestCert: true, rejectUnauthorized: false };
  const handler = bareHandler();
  const server = h2 ? createSecureServer({ ...tls, allowHTTP1: true }, handler) : createServer({ ...tls, keepAliveTimeout: 90_000 }, handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const heapProfile = process.env.KES_BENCH_HEAP_PROFILE;
let post;
if (heapProfile !== undefined) {
  const session = new Session();
  session.connect();
  post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}

const running = mode === 'kes' ? await startKes() : mode === 'kes-config' ? await startKesConfig() : await startBare(mode === 'bare-h2');
process.on('message', async (msg) => {
  if (msg.type === 'counts') {
    process.send({ type: 'counts', counts: running.counts ? await running.counts() : [] });
    return;
  }
  if (msg.type !== 'stop') return;
  setTimeout(() => process.exit(0), 10_000).unref();
  if (post !== undefined) writeFileSync(`${heapProfile}.${mode}`, JSON.stringify((await post('HeapProfiler.stopSampling')).profile));
  await running.close();
  process.exit(0);
});
process.send({ type: 'ready', port: running.port });
