import { connect as h2connect, type ClientHttp2Session } from 'node:http2';
import { Agent, request } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKey, createCertificateForApiKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientCert } from './testing/kes-request.js';
import { kesRequest } from './testing/kes-request.js';
import { writeServerCertificate } from './testing/server-files.js';
import { spawnServer } from './testing/spawn-server.js';

let dir: string;
let app: ApiKey;
let appCert: ClientCert;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-operations-'));
  writeServerCertificate(dir);
  app = ApiKey.generate();
  appCert = await createCertificateForApiKey(app);
  // a keystore module whose reads take `delay_ms` (plain ESM, loaded through keystore.module)
  await writeFile(
    join(dir, 'slow-keystore.mjs'),
    `export default {
  name: 'test.slow',
  title: 'Slow memory keystore (test)',
  validate: (block) => ({ ok: true, config: { delayMs: Number(block?.delay_ms ?? 0) }, warnings: [] }),
  async create(config) {
    const keys = new Map();
    const wait = () => new Promise((r) => setTimeout(r, config.delayMs));
    return {
      async create(name, value) { if (keys.has(name)) throw Object.assign(new Error('key already exists'), { code: 'KEY_EXISTS' }); keys.set(name, value); },
      async get(name) { await wait(); return keys.get(name); },
      async delete(name) { keys.delete(name); },
      async list() { return { names: [...keys.keys()].sort(), continueAt: '' }; },
      async status() { return { latencyMs: 1 }; },
      async close() {},
    };
  },
};
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const config = (allow: string[], keystore = '  memory: {}\n', audit = 'off') => `address: 127.0.0.1:0
admin:
  identity: disabled
tls:
  key: server.key
  cert: server.crt
policy:
  app:
    allow: [${allow.join(', ')}]
    identities: [${app.identity}]
log:
  audit: ${audit}
keys:
- name: k
keystore:
${keystore}`;

/** A keep-alive HTTP/1.1 client with one socket; reports whether each request reused it. */
function h1KeepAlive(port: number, cert: ClientCert) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, cert: cert.certPem, key: cert.keyPem, rejectUnauthorized: false });
  return {
    get: (path: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

function h2Get(session: ClientHttp2Session, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path });
    stream.on('response', (h) => resolve(Number(h[':status'])));
    stream.on('error', reject);
    stream.resume();
  });
}

describe('kes server operations (end to end)', () => {
  it('SIGHUP: keep-alive connections (HTTP/1.1 and HTTP/2) survive the reload and see the new policy and log level', { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'reload.yml'), config(['/v1/status']));
    const server = await spawnServer(['--config', 'reload.yml'], { cwd: dir });
    const h1 = h1KeepAlive(server.port, appCert);
    const h2 = h2connect(`https://127.0.0.1:${server.port}`, { cert: appCert.certPem, key: appCert.keyPem, rejectUnauthorized: false });
    h2.on('error', () => undefined);
    try {
      expect(await h1.get('/v1/status')).toEqual({ status: 200, reused: false });
      expect((await h1.get('/v1/key/describe/k')).status).toBe(403);
      expect(await h2Get(h2, '/v1/key/describe/k')).toBe(403);

      expect(server.stdout()).not.toContain('"path":"/v1/key/describe/k"');
      await writeFile(join(dir, 'reload.yml'), config(['/v1/status', '/v1/key/describe/*'], undefined, 'on'));
      server.proc.kill('SIGHUP');
      await server.waitFor(/Configuration reloaded/);

      expect(await h1.get('/v1/key/describe/k')).toEqual({ status: 200, reused: true });
      expect(await h2Get(h2, '/v1/key/describe/k')).toBe(200);
      expect(h2.closed || h2.destroyed).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
      const audited = server.stdout().split('\n').filter((l) => l.includes('"path":"/v1/key/describe/k"')).map((l) => JSON.parse(l));
      expect(audited.map((e) => [e.request.method, e.response.code])).toEqual([['GET', 200], ['GET', 200]]);
      expect(await server.stop('SIGTERM')).toBe(0);
    } finally {
      h1.close();
      h2.destroy();
      await server.stop('SIGKILL');
    }
  });

  it('SIGTERM: in-flight requests finish, new connections are refused, then the process exits 0', { timeout: 60_000 }, async () => {
    const keystore = '  module:\n    name: ./slow-keystore.mjs\n    config:\n      delay_ms: 1500\n';
    await writeFile(join(dir, 'drain.yml'), config(['/v1/key/describe/*'], keystore));
    const server = await spawnServer(['--config', 'drain.yml'], { cwd: dir });
    try {
      const t0 = performance.now();
      const inflight = kesRequest(server.port, 'GET', '/v1/key/describe/k', appCert); // uncached: a 1.5 s keystore read
      const h2 = h2connect(`https://127.0.0.1:${server.port}`, { cert: appCert.certPem, key: appCert.keyPem, rejectUnauthorized: false });
      h2.on('error', () => undefined);
      const inflightH2 = h2Get(h2, '/v1/key/describe/k');
      await new Promise((r) => setTimeout(r, 300));
      const exited = server.stop('SIGTERM');
      await server.waitFor(/Received SIGTERM: shutting down/);
      await expect(kesRequest(server.port, 'GET', '/v1/key/describe/k', appCert)).rejects.toThrow();
      expect((await inflight).status).toBe(200);
      expect(await inflightH2).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(1400);
      expect(await exited).toBe(0);
      h2.destroy();
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
