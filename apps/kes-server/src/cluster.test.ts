import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { ApiKey, createCertificateForApiKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kesRequest, type ClientCert } from './testing/kes-request.js';
import { writeServerCertificate } from './testing/server-files.js';
import { spawnServer } from './testing/spawn-server.js';

let dir: string;
let admin: ApiKey;
let adminCert: ClientCert;
let app: ApiKey;
let appCert: ClientCert;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-cluster-'));
  writeServerCertificate(dir);
  admin = ApiKey.generate();
  adminCert = await createCertificateForApiKey(admin);
  app = ApiKey.generate();
  appCert = await createCertificateForApiKey(app);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const config = (allow: string[]) => `address: 127.0.0.1:0
admin:
  identity: ${admin.identity}
tls:
  key: server.key
  cert: server.crt
policy:
  app:
    allow: [${allow.join(', ')}]
    identities: [${app.identity}]
keys:
- name: boot-1
- name: boot-2
keystore:
  fs:
    path: ./keys
`;

/** Follows `/v1/log/audit` on one connection (one worker) and collects the events. */
function followAudit(port: number): Promise<{ events: Array<{ request: { path: string } }>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const events: Array<{ request: { path: string } }> = [];
    let partial = '';
    const req = get({ host: '127.0.0.1', port, path: '/v1/log/audit', cert: adminCert.certPem, key: adminCert.keyPem, rejectUnauthorized: false, agent: false }, (res) => {
      res.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) events.push(JSON.parse(line));
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

/** Handshakes, resuming `session` when given; reports whether it was resumed and the session to resume next. */
function handshake(port: number, session?: Buffer): Promise<{ reused: boolean; session: Buffer | undefined }> {
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined;
    const socket: TLSSocket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, cert: appCert.certPem, key: appCert.keyPem, ALPNProtocols: ['http/1.1'], ...(session ? { session } : {}) });
    socket.on('session', (s: Buffer) => (ticket = s));
    socket.once('secureConnect', () => {
      socket.write('GET /version HTTP/1.1\r\nHost: localhost\r\n\r\n');
      socket.once('data', () => {
        resolve({ reused: socket.isSessionReused(), session: ticket });
        socket.destroy();
      });
    });
    socket.on('error', reject);
  });
}

const metric = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1) ?? NaN);

describe('kes server with several processes (node:cluster)', () => {
  it('one banner and one keys: start-up, shared ticket keys, streams and metrics across workers, SIGHUP to all, SIGTERM exits 0', { timeout: 120_000 }, async () => {
    await writeFile(join(dir, 'kes.yml'), config(['/v1/status']));
    const server = await spawnServer(['--config', 'kes.yml', '--workers', '2'], { cwd: dir });
    try {
      await new Promise((r) => setTimeout(r, 1000)); // the second worker
      expect(server.stdout().match(/Server is up and running/g)).toHaveLength(1);
      expect((await readdir(join(dir, 'keys'))).sort()).toEqual(['boot-1', 'boot-2']);
      expect(server.stderr()).not.toMatch(/failed to create key/);

      // TLS sessions resume on whichever worker gets the next connection (round robin: both take part)
      let previous = await handshake(server.port);
      for (let i = 0; i < 4; i++) {
        const next = await handshake(server.port, previous.session);
        expect(next.reused).toBe(true);
        previous = { reused: true, session: next.session ?? previous.session };
      }

      // one subscriber (on one worker) sees the requests every worker served, each once
      const audit = await followAudit(server.port);
      await new Promise((r) => setTimeout(r, 300));
      const before = await kesRequest(server.port, 'GET', '/v1/metrics', adminCert);
      const served = metric(before.body, 'kes_http_request_success{code="200"}') || 0;
      for (let i = 0; i < 12; i++) expect((await kesRequest(server.port, 'GET', `/v1/key/describe/boot-${(i % 2) + 1}`, adminCert)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(audit.events.filter((e) => e.request.path.startsWith('/v1/key/describe/boot-'))).toHaveLength(12);
      const after = (await kesRequest(server.port, 'GET', '/v1/metrics', adminCert)).body;
      expect(metric(after, 'kes_http_request_success{code="200"}')).toBe(served + 12);
      expect(metric(after, 'kes_log_audit_events')).toBeGreaterThanOrEqual(13);
      expect(after.match(/^# TYPE kes_http_request_success counter$/gm)).toHaveLength(1);
      audit.close();

      // SIGHUP reaches every worker: new connections (spread over both) see the new policy
      for (let i = 0; i < 4; i++) expect((await kesRequest(server.port, 'GET', '/v1/key/describe/boot-1', appCert)).status).toBe(403);
      await writeFile(join(dir, 'kes.yml'), config(['/v1/status', '/v1/key/describe/*']));
      server.proc.kill('SIGHUP');
      await server.waitFor(/Configuration reloaded[\s\S]*Configuration reloaded/);
      for (let i = 0; i < 4; i++) expect((await kesRequest(server.port, 'GET', '/v1/key/describe/boot-1', appCert)).status).toBe(200);

      expect(await server.stop('SIGTERM')).toBe(0);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
