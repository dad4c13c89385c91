/**
 * Part 4 of issue 7 — lifecycle signals of a real kes-server process (fs keystore) under load: 200 SIGHUP reloads
 * (no timers, sockets or memory leaked, no request dropped), SIGTERM (every request either completed or never
 * accepted) and kill -9 with a restart on the same address (back within a second, nothing lost).
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { writeConfig } from '../support/config-file.js';
import { createWorkspace, ok, startFsServer, type FsServer, type Workspace } from '../support/fixture.js';
import { h2Client } from '../support/http-client.js';
import { KesProcess, type ProcessFigures } from '../support/kes-process.js';
import { LoadGenerator } from '../support/load-generator.js';
import type { KnownDek, WindowStats } from '../support/load-protocol.js';
import { budget, PROFILE } from '../support/profile.js';
import { report } from '../support/report.js';
import { mib } from '../support/resource-watch.js';
import { mergeCounts } from '../support/stats.js';
import { auditCreates } from './key-audit.js';

const KEYS = ['life-0', 'life-1', 'life-2', 'life-3'];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp(name: string, env: Record<string, string> = {}, addr?: string): Promise<{ ws: Workspace; srv: FsServer }> {
  const ws = await createWorkspace(name);
  cleanups.push(() => ws.dispose());
  const srv = await startFsServer(ws, {}, { env, ...(addr ? { addr } : {}) });
  cleanups.push(() => srv.stop());
  for (const k of KEYS) await ok(srv.call('POST', `/v1/key/create/${k}`));
  return { ws, srv };
}

async function startLoad(ws: Workspace, kes: KesProcess, protocol: 'h1' | 'h2', mix: Record<string, number>, seed: number, extra: { keepDeks?: number; createPrefix?: string } = {}): Promise<LoadGenerator> {
  const load = await LoadGenerator.start({ endpoints: [ws.endpoint(kes)], protocol, concurrency: 6, timeoutMs: 5_000, mix, keys: KEYS, seed, ...extra });
  cleanups.push(() => load.kill());
  return load;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Live timers/handles by type, the ones a leak would grow. */
function liveOf(f: ProcessFigures): Record<string, number> {
  const pick: Record<string, number> = {};
  for (const [k, v] of Object.entries(f.live ?? {})) if (/Timeout|Immediate|TCP|TLS|HTTP2|FSREQ|FILEHANDLE|Pipe|Signal/i.test(k)) pick[k] = v;
  return pick;
}

describe('lifecycle signals under load', () => {
  it(`SIGHUP ${PROFILE.reloads} times under load: no request dropped, no timer, socket or memory leaked`, async () => {
    const { ws, srv } = await setUp('sighup', { KES_RELIABILITY_PROBE_ASYNC: '1' });
    const load = await startLoad(ws, srv.kes, 'h2', { dek: 1 }, 11);
    const variant = (i: number) =>
      writeConfig(ws.dir, {
        adminIdentity: ws.admin.identity,
        keystore: { fs: { path: srv.keysDir } },
        // A different cache setting every other time: each reload then builds a new key cache and must close the old one.
        cacheExpiry: { any: '5m', unused: i % 2 === 0 ? '30s' : '31s', offline: '0s' },
        policies: { [`p${i % 2}`]: { allow: ['/v1/key/describe/*'], identities: [] } },
      });
    await new Promise((r) => setTimeout(r, 1_500));
    await load.snapshot();
    const before = await srv.kes.figures({ gc: true });
    const t0 = performance.now();
    const mid: ProcessFigures[] = [];
    for (let i = 0; i < PROFILE.reloads; i++) {
      variant(i);
      const reloaded = srv.kes.waitForOutput(/Configuration reloaded|reload failed/, 15_000);
      srv.kes.signal('SIGHUP');
      expect((await reloaded)[0]).toBe('Configuration reloaded');
      if (i === Math.floor(PROFILE.reloads / 2) - 1) mid.push(await srv.kes.figures({ gc: true }));
    }
    const reloadMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    const legit = await load.snapshot();
    const after = await srv.kes.figures({ gc: true });
    await load.stop();
    report(`lifecycle: SIGHUP x${PROFILE.reloads} under load`, {
      requests: legit.requests,
      faultsInjected: { sighup: PROFILE.reloads },
      errors: legit.errors,
      keysLost: 0,
      reloadsPerSecond: Math.round((PROFILE.reloads / reloadMs) * 1000 * 10) / 10,
      legitimate: { ok: legit.ok, p50Ms: legit.latency.p50, p99Ms: legit.latency.p99, maxMs: legit.latency.max },
      liveResources: { before: liveOf(before), half: liveOf(mid[0]!), after: liveOf(after) },
      fds: { before: before.fds, half: mid[0]!.fds, after: after.fds },
      heapMiB: { before: mib(before.heapUsed), half: mib(mid[0]!.heapUsed), after: mib(after.heapUsed) },
      rssMiB: { before: mib(before.rss), half: mib(mid[0]!.rss), after: mib(after.rss) },
    });
    expect(legit.errors).toEqual({});
    expect(legit.ok).toBeGreaterThan(0);
    // A leak of one timer or handle per reload would show as +100 between the half and the end.
    for (const [type, n] of Object.entries(liveOf(after))) expect(n, `live ${type} after vs half-way`).toBeLessThanOrEqual((liveOf(mid[0]!)[type] ?? 0) + 12);
    expect(after.fds).toBeLessThanOrEqual(before.fds + 4);
    expect(after.heapUsed - mid[0]!.heapUsed, 'heap growth over the second half of the reloads').toBeLessThan(4 * 1024 * 1024);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(12 * 1024 * 1024);
  }, budget(PROFILE.reloads * 100 + 20_000));

  // The app runs one process per CPU by default (node:cluster); the other scenarios pin one process to measure it.
  it.each([
    ['one process', '1'],
    ['a cluster of 2 workers', '2'],
  ])('SIGTERM under load (HTTP/1.1 and HTTP/2), %s: every request either completed or was never accepted', async (mode, workers) => {
    const { ws, srv } = await setUp(`sigterm-${workers}`, { KES_WORKERS: workers });
    const loads = [
      await startLoad(ws, srv.kes, 'h1', { create: 1, dek: 1 }, 21, { createPrefix: 'h1-' }),
      await startLoad(ws, srv.kes, 'h2', { create: 1, dek: 1 }, 22, { createPrefix: 'h2-' }),
    ];
    await new Promise((r) => setTimeout(r, 2_000));
    const t0 = performance.now();
    const { code } = await srv.kes.stop('SIGTERM', 20_000);
    const shutdownMs = Math.round(performance.now() - t0);
    const windows: WindowStats[] = [];
    for (const l of loads) windows.push(await l.stop());
    const created = Object.assign({}, ...windows.map((w) => w.created)) as Record<string, string>;
    const audit = auditCreates(created, srv.keysDir);
    const errors = windows.reduce((a, w) => mergeCounts(a, w.errors), {} as Record<string, number>);
    report(`lifecycle: SIGTERM under load (${mode})`, {
      requests: windows.reduce((a, w) => a + w.requests, 0),
      faultsInjected: { sigterm: 1 },
      errors,
      keysLost: audit.lost.length,
      exitCode: code,
      shutdownMs,
      creates: { sent: audit.creates, acknowledged: audit.acknowledged, neverAccepted: audit.neverAccepted, answerLost: audit.answerLost.length },
      tempFilesLeft: audit.tempFiles,
    });
    expect(code).toBe(0);
    expect(audit.lost).toEqual([]);
    expect(audit.answerLost).toEqual([]);
    expect(audit.acknowledged).toBeGreaterThan(0);
    // Refusals of the stopped listener are fine; HTTP errors or hung requests are not.
    for (const kind of Object.keys(errors)) expect(kind).toMatch(/^(ECONNREFUSED|ECONNRESET|EPIPE|h2-goaway|h2-stream-refused_stream|ERR_HTTP2_[A-Z_]+)$/);
  }, budget(40_000));

  it('kill -9 and restart on the same address: serving again within a second, nothing lost', async () => {
    const port = await freePort();
    const { ws, srv } = await setUp('kill9', {}, `127.0.0.1:${port}`);
    const load = await startLoad(ws, srv.kes, 'h2', { create: 1, dek: 3 }, 31, { keepDeks: 500, createPrefix: 'k9-' });
    await new Promise((r) => setTimeout(r, 2_000));
    const beforeKill = await load.snapshot();
    srv.kes.signal('SIGKILL');
    const killedAt = performance.now();
    await srv.kes.exited;
    const restarted = await KesProcess.start(srv.configFile, { addr: `127.0.0.1:${port}`, env: { KES_RELIABILITY_PRELOAD: '1' } });
    cleanups.push(() => restarted.stop().then(() => undefined));
    // The first request served after the kill, from a fresh client (the load generator reconnects on its own).
    const probe = h2Client(ws.endpoint(restarted), 1);
    let backMs = -1;
    for (let i = 0; i < 200 && backMs < 0; i++) {
      const r = await probe.request('GET', '/v1/status', undefined, 2_000).catch(() => undefined);
      if (r?.status === 200) backMs = Math.round(performance.now() - killedAt);
      else await new Promise((res) => setTimeout(res, 10));
    }
    probe.close();
    const figures = await restarted.figures();
    await new Promise((r) => setTimeout(r, 1_000));
    const afterRestart = await load.stop();
    const created = { ...beforeKill.created, ...afterRestart.created };
    const audit = auditCreates(created, srv.keysDir);
    // Every acknowledged key and every DEK handed out before the kill still works on the restarted server.
    const check = h2Client(ws.endpoint(restarted), 2);
    const names = Object.entries(created).filter(([, o]) => o === 'ok').map(([n]) => n);
    let keysUnreadable = 0;
    for (const name of names) if ((await check.request('GET', `/v1/key/describe/${name}`, undefined, 5_000)).status !== 200) keysUnreadable++;
    const deks: readonly KnownDek[] = beforeKill.deks;
    let deksBroken = 0;
    for (const d of deks) {
      const r = await check.request('POST', `/v1/key/decrypt/${d.key}`, JSON.stringify({ ciphertext: d.ciphertext, context: d.context }), 5_000);
      if (r.status !== 200 || (JSON.parse(r.body.toString()) as { plaintext: string }).plaintext !== d.plaintext) deksBroken++;
    }
    check.close();
    // A restart is: the runtime boot (node, the TypeScript loader tsx — test tooling — and loading the server's modules;
    // printed) and then the server's own start: config, keystore, TLS, listening (asserted under a second).
    const runtimeBootMs = Math.round(figures.modulesLoadedAtMs);
    const serverStartMs = Math.round(restarted.startMs - figures.modulesLoadedAtMs);
    report('lifecycle: kill -9 and restart', {
      requests: beforeKill.requests + afterRestart.requests,
      faultsInjected: { sigkill: 1 },
      errors: mergeCounts(beforeKill.errors, afterRestart.errors),
      keysLost: audit.lost.length + keysUnreadable,
      backInMs: backMs,
      processStartMs: Math.round(restarted.startMs),
      runtimeBootMs,
      typescriptLoaderMs: Math.round(figures.loadedAtMs),
      serverStartMs,
      processCpuAtBannerMs: restarted.cpuAtBannerMs,
      creates: { sent: audit.creates, acknowledged: audit.acknowledged, answerLost: audit.answerLost.length, neverAccepted: audit.neverAccepted },
      deksChecked: deks.length,
      deksBroken,
      tempFilesLeft: audit.tempFiles,
    });
    expect(audit.lost).toEqual([]);
    expect(keysUnreadable).toBe(0);
    expect(deks.length).toBeGreaterThan(0);
    expect(deksBroken).toBe(0);
    expect(backMs).toBeGreaterThan(0);
    expect(serverStartMs, 'the server itself is serving within a second of its modules being loaded').toBeLessThan(1_000);
    expect(backMs, 'the whole restart, runtime boot included, stays far from a timeout').toBeLessThan(15_000);
  }, budget(40_000));
});
