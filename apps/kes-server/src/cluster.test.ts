import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { ApiKey, createCertificateForApiKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kesRequest, type ClientCert } from './testing/kes-request.js';
import { writeServerCertificate } from './testing/server-files.js';
import { spawnServer, type SpawnedServer } from './testing/spawn-server.js';

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

const config = (allow: string[], extra = '') => `address: 127.0.0.1:0
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
${extra}`;

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

/** Handshakes, resuming `session` when given; reports whether it was resumed, the session to resume next and the served certificate. */
function handshake(port: number, session?: Buffer): Promise<{ reused: boolean; session: Buffer | undefined; served: string }> {
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined;
    const socket: TLSSocket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, cert: appCert.certPem, key: appCert.keyPem, ALPNProtocols: ['http/1.1'], ...(session ? { session } : {}) });
    socket.on('session', (s: Buffer) => (ticket = s));
    socket.once('secureConnect', () => {
      const served = socket.getPeerCertificate().fingerprint256;
      socket.write('GET /version HTTP/1.1\r\nHost: localhost\r\n\r\n');
      socket.once('data', () => {
        resolve({ reused: socket.isSessionReused(), session: ticket, served });
        socket.destroy();
      });
    });
    socket.on('error', reject);
  });
}

const metric = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1) ?? NaN);
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Statuses of `n` requests, each on a fresh connection — connections go to the workers in turn (round robin), so
 * with n ≥ 2 × workers every worker answers at least once.
 */
async function statuses(port: number, path: string, n = 8): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await kesRequest(port, 'GET', path, appCert)).status);
  return out;
}

/** The worker processes of the server `pid`: its children that run the app (not tsx's esbuild service). Linux /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(join('/proc', entry, 'stat'), 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== pid) continue;
    const cmdline = await readFile(join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
    if (cmdline.includes('main.ts')) children.push(Number(entry));
  }
  return children;
}

describe('kes server with several processes (node:cluster)', () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    await writeFile(join(dir, 'kes.yml'), config(['/v1/status']));
    server = await spawnServer(['--config', 'kes.yml', '--workers', '2'], { cwd: dir });
    await sleep(1000); // the second worker
  }, 60_000);
  afterAll(() => server?.stop('SIGKILL'));

  it('one banner and one keys: start-up, shared ticket keys, streams and metrics across workers', { timeout: 60_000 }, async () => {
    expect(server.stdout().match(/Server is up and running/g)).toHaveLength(1);
    expect((await readdir(join(dir, 'keys'))).sort()).toEqual(['boot-1', 'boot-2']);
    expect(server.stderr()).not.toMatch(/failed to create key/);

    // TLS sessions resume on whichever worker gets the next connection (round robin: both take part)
    let previous = await handshake(server.port);
    for (let i = 0; i < 4; i++) {
      const next = await handshake(server.port, previous.session);
      expect(next.reused).toBe(true);
      previous = { ...next, session: next.session ?? previous.session };
    }

    // one subscriber (on one worker) sees the requests every worker served, each once
    const audit = await followAudit(server.port);
    await sleep(300);
    const before = await kesRequest(server.port, 'GET', '/v1/metrics', adminCert);
    const served = metric(before.body, 'kes_http_request_success{code="200"}') || 0;
    for (let i = 0; i < 12; i++) expect((await kesRequest(server.port, 'GET', `/v1/key/describe/boot-${(i % 2) + 1}`, adminCert)).status).toBe(200);
    await sleep(500);
    expect(audit.events.filter((e) => e.request.path.startsWith('/v1/key/describe/boot-'))).toHaveLength(12);
    const after = (await kesRequest(server.port, 'GET', '/v1/metrics', adminCert)).body;
    expect(metric(after, 'kes_http_request_success{code="200"}')).toBe(served + 12);
    expect(metric(after, 'kes_log_audit_events')).toBeGreaterThanOrEqual(13);
    expect(after.match(/^# TYPE kes_http_request_success counter$/gm)).toHaveLength(1);
    audit.close();
  });

  it('SIGHUP: one "Configuration reloaded", after which every worker serves the new policy', { timeout: 60_000 }, async () => {
    expect(await statuses(server.port, '/v1/key/describe/boot-1')).toEqual(Array(8).fill(403));
    await writeFile(join(dir, 'kes.yml'), config(['/v1/status', '/v1/key/describe/*']));
    const from = server.stderr().length;
    server.proc.kill('SIGHUP');
    await server.waitFor(/Configuration reloaded/);
    expect(await statuses(server.port, '/v1/key/describe/boot-1')).toEqual(Array(8).fill(200)); // at once, on every worker
    await sleep(500);
    const log = server.stderr().slice(from);
    expect(count(log, /Reloading the configuration from 'kes\.yml'/)).toBe(1);
    expect(count(log, /Configuration reloaded/)).toBe(1);
    expect(log).not.toMatch(/Error/);
  });

  it('a config that does not load, or a key that does not match the certificate: one error line, the old config everywhere', { timeout: 60_000 }, async () => {
    const broken = config(['/v1/status'], 'cache:\n  expiry:\n    any: -1m\n');
    await writeFile(join(dir, 'kes.yml'), broken);
    let from = server.stderr().length;
    server.proc.kill('SIGHUP');
    const failed = await server.waitFor(/Error: reload failed[^\n]*\n[\s\S]*?invalid cache expiry[^\n]*/);
    const line = broken.split('\n').findIndex((l) => l.includes('any: -1m')) + 1;
    expect(failed[0]).toMatch(/^Error: reload failed, the running configuration stays in effect:\n/);
    expect(failed[0]).toContain(`kes.yml:${line}: cache.expiry.any: kesconf: invalid cache expiry '-1m0s'`);
    await sleep(500);
    expect(count(server.stderr().slice(from), /reload failed/)).toBe(1);
    expect(count(server.stderr().slice(from), /Configuration reloaded/)).toBe(0);
    expect(await statuses(server.port, '/v1/key/describe/boot-1')).toEqual(Array(8).fill(200));

    // a private key of another certificate
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(dir, 'other.key')], { stdio: 'ignore' });
    await writeFile(join(dir, 'kes.yml'), config(['/v1/status']).replace('key: server.key', 'key: other.key'));
    from = server.stderr().length;
    server.proc.kill('SIGHUP');
    await server.waitFor(/reload failed[^\n]*\n[\s\S]*?tls\.key: the private key 'other\.key' does not belong to the certificate 'server\.crt'/);
    await sleep(500);
    expect(count(server.stderr().slice(from), /reload failed/)).toBe(1);
    expect(count(server.stderr().slice(from), /does not belong/)).toBe(1);
    expect(await statuses(server.port, '/v1/key/describe/boot-1')).toEqual(Array(8).fill(200));
  });

  it('a burst of SIGHUPs is coalesced: at most two reloads, no leaked listeners, the last config everywhere', { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'kes.yml'), config(['/v1/status', '/v1/key/describe/boot-2']));
    const from = server.stderr().length;
    for (let i = 0; i < 50; i++) server.proc.kill('SIGHUP');
    await server.waitFor(/Configuration reloaded/);
    await sleep(1500);
    const log = server.stderr().slice(from);
    expect(count(log, /Configuration reloaded/)).toBeGreaterThanOrEqual(1);
    expect(count(log, /Configuration reloaded/)).toBeLessThanOrEqual(2);
    expect(count(log, /Reloading the configuration/)).toBe(count(log, /Configuration reloaded/));
    expect(log).not.toMatch(/MaxListenersExceeded|Error/);
    expect(await statuses(server.port, '/v1/key/describe/boot-1')).toEqual(Array(8).fill(403));
    expect(await statuses(server.port, '/v1/key/describe/boot-2')).toEqual(Array(8).fill(200));
  });

  it('a certificate renewed on disk is picked up by every worker, logged once', { timeout: 60_000 }, async () => {
    const old = (await handshake(server.port)).served;
    const renewed = join(dir, 'renewed');
    await mkdir(renewed);
    writeServerCertificate(renewed);
    const from = server.stderr().length;
    await rename(join(renewed, 'server.key'), join(dir, 'server.key'));
    await rename(join(renewed, 'server.crt'), join(dir, 'server.crt'));
    await server.waitFor(/TLS files re-read: the new certificate is in use/, 15_000);
    const served = new Set<string>();
    for (let i = 0; i < 8; i++) served.add((await handshake(server.port)).served);
    expect(served.size).toBe(1);
    expect([...served][0]).not.toBe(old);
    await sleep(1000);
    const log = server.stderr().slice(from);
    expect(count(log, /TLS files changed on disk/)).toBe(1);
    expect(count(log, /TLS files re-read/)).toBe(1);
    expect(log).not.toMatch(/Error/);
  });

  it('a worker that dies is replaced with the config in force, including a reload done while it was gone', { timeout: 60_000 }, async () => {
    const [victim, ...others] = await childrenOf(server.proc.pid!);
    expect(others).toHaveLength(1);
    const from = server.stderr().length;
    process.kill(victim!, 'SIGKILL');
    await server.waitFor(new RegExp(`worker ${victim} exited \\(SIGKILL\\); starting a new one`));
    await writeFile(join(dir, 'kes.yml'), config(['/v1/status', '/v1/key/describe/boot-1']));
    server.proc.kill('SIGHUP');
    await server.waitFor(/Configuration reloaded/);
    for (let i = 0; i < 100 && (await childrenOf(server.proc.pid!)).length < 2; i++) await sleep(200);
    await sleep(1500); // the replacement listens
    expect(await statuses(server.port, '/v1/key/describe/boot-1')).toEqual(Array(8).fill(200));
    expect(await statuses(server.port, '/v1/key/describe/boot-2')).toEqual(Array(8).fill(403));
    expect(count(server.stderr().slice(from), /Configuration reloaded/)).toBe(1);

    // the file on disk no longer loads: a replacement still starts, with the config in force
    await writeFile(join(dir, 'kes.yml'), config(['/v1/status'], 'cache:\n  expiry:\n    any: -1m\n'));
    server.proc.kill('SIGHUP');
    await server.waitFor(/Error: reload failed/);
    const [second] = await childrenOf(server.proc.pid!);
    process.kill(second!, 'SIGKILL');
    await server.waitFor(new RegExp(`worker ${second} exited`));
    for (let i = 0; i < 100 && (await childrenOf(server.proc.pid!)).length < 2; i++) await sleep(200);
    await sleep(1500);
    expect(await statuses(server.port, '/v1/key/describe/boot-1')).toEqual(Array(8).fill(200));
    expect(server.stderr().slice(from)).not.toMatch(/Error: 1 problem/); // no worker tried the file on disk
  });

  it('SIGTERM drains every worker and exits 0', { timeout: 60_000 }, async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});

describe('the number of server processes', () => {
  it('one worker per CPU by default; KES_WORKERS=1 keeps one process', { timeout: 120_000 }, async () => {
    await writeFile(join(dir, 'default.yml'), config(['/v1/status']));
    const byDefault = await spawnServer(['--config', 'default.yml'], { cwd: dir });
    try {
      await sleep(1000);
      const expected = availableParallelism() > 1 ? availableParallelism() : 0;
      expect(await childrenOf(byDefault.proc.pid!)).toHaveLength(expected);
      expect(await byDefault.stop('SIGTERM')).toBe(0);
    } finally {
      await byDefault.stop('SIGKILL');
    }
    const single = await spawnServer(['--config', 'default.yml'], { cwd: dir, env: { KES_WORKERS: '1' } });
    try {
      expect(await childrenOf(single.proc.pid!)).toHaveLength(0);
      expect((await kesRequest(single.port, 'GET', '/v1/status', appCert)).status).toBe(200);
      expect(await single.stop('SIGTERM')).toBe(0);
    } finally {
      await single.stop('SIGKILL');
    }
  });
});
