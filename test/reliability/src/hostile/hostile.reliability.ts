/**
 * Part 1 of issue 7 — hostile input at the HTTP and TLS layers, against a real kes-server process (fs keystore)
 * while a legitimate HTTP/2 client (its own process) keeps generating and decrypting data keys. For every attack the
 * scenario prints and asserts: the attack's own outcomes (only the spec's statuses, no hang), the legitimate client's
 * p99 and errors (all its requests served within its timeout), and the server's descriptors and memory (bounded during
 * the attack, back down after it).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, ok, startFsServer, type FsServer, type Workspace } from '../support/fixture.js';
import type { ProcessFigures } from '../support/kes-process.js';
import { LoadGenerator } from '../support/load-generator.js';
import type { WindowStats } from '../support/load-protocol.js';
import { newClientIdentity } from '../support/pki.js';
import { budget, PROFILE } from '../support/profile.js';
import { report } from '../support/report.js';
import { mib, settle, watchPeaks } from '../support/resource-watch.js';
import { total } from '../support/stats.js';
import { handshakeStorms, openIdle } from './connection-floods.js';
import type { CorpusMaterial } from './fuzz-corpus.js';
import { runFuzzH2 } from './fuzz-h2.js';
import { runFuzz } from './fuzz-run.js';
import { oversizeRound } from './oversize.js';
import { rapidReset } from './rapid-reset.js';
import { slowBodies, slowHandshakes, slowHeads } from './slowloris.js';
import { runSmuggling, smugglingCases } from './smuggling.js';

/** The legitimate client's timeout per request: every one of its requests must be answered within it. */
const LEGIT_TIMEOUT_MS = 3_000;
const HANDSHAKE_TIMEOUT_MS = 2_000;
const HEADER_TIMEOUT_MS = 2_000;
/** Keep-alive period: long enough to hold the 1,000 idle connections through an attack. */
const IDLE_TIMEOUT_MS = PROFILE.attackMs + 12_000;
/**
 * The server's event-loop lag (p99, ms) allowed during an HTTP/2 rapid reset: each cancelled stream costs the server
 * the work of starting it, so the server closes sessions that cancel too many (GOAWAY ENHANCE_YOUR_CALM).
 */
const RAPID_RESET_LAG_P99_MS = 150;
/** Route timeout of encrypt/decrypt in this scenario's config (bounds a slow body). */
const ROUTE_TIMEOUT_MS = 3_000;
/** How far the server's RSS may rise during one attack, and its heap after the attack (after a GC). */
const RSS_BUDGET = 256 * 1024 * 1024;
const HEAP_BUDGET = 24 * 1024 * 1024;
/** Slack of the timeouts above: the server sweeps connections periodically and this machine is shared. */
const SLACK_MS = 2_000;

let ws: Workspace;
let srv: FsServer;
let load: LoadGenerator;
let material: CorpusMaterial;
/** An identity with a narrow policy (`/v1/key/describe/fuzz-*`): the fuzzer also runs as it, through the 403 paths. */
let reader: Awaited<ReturnType<typeof newClientIdentity>>;

beforeAll(async () => {
  ws = await createWorkspace('hostile');
  reader = await newClientIdentity();
  srv = await startFsServer(ws, {
    limits: { handshake_timeout: `${HANDSHAKE_TIMEOUT_MS}ms`, header_timeout: `${HEADER_TIMEOUT_MS}ms`, idle_timeout: `${IDLE_TIMEOUT_MS}ms` },
    api: { '/v1/key/encrypt/': { timeout: `${ROUTE_TIMEOUT_MS}ms` }, '/v1/key/decrypt/': { timeout: `${ROUTE_TIMEOUT_MS}ms` } },
    policies: { 'fuzz-policy': { allow: ['/v1/key/describe/fuzz-*'], identities: [reader.identity] } },
  });
  for (const name of ['fuzz-key', 'victim', 'legit-0', 'legit-1', 'legit-2', 'legit-3']) await ok(srv.call('POST', `/v1/key/create/${name}`));
  const context = randomBytes(16).toString('base64');
  const dek = await ok<{ ciphertext: string }>(srv.call('POST', '/v1/key/generate/fuzz-key', { context }));
  material = { key: 'fuzz-key', ciphertext: dek.ciphertext, context, importKey: randomBytes(32).toString('base64'), identity: ws.admin.identity };
  load = await LoadGenerator.start({
    endpoints: [ws.endpoint(srv.kes)],
    protocol: 'h2',
    concurrency: 4,
    ratePerSec: 40,
    timeoutMs: LEGIT_TIMEOUT_MS,
    mix: { dek: 1 },
    keys: ['legit-0', 'legit-1', 'legit-2', 'legit-3'],
    seed: 7,
  });
}, 120_000);

afterAll(async () => {
  load?.kill();
  await srv?.stop();
  ws?.dispose();
});

interface AttackResult {
  readonly requests: number;
  readonly [figure: string]: unknown;
}

/** Runs `attack` while the legitimate client measures; prints and asserts the common figures. */
async function underAttack(
  name: string,
  attack: () => Promise<AttackResult>,
  settleMs = 15_000,
): Promise<{ legit: WindowStats; before: ProcessFigures; after: ProcessFigures; lag: ProcessFigures['delay'] }> {
  await load.snapshot(); // start a fresh window for this attack
  const before = await srv.kes.figures({ gc: true, resetDelay: true });
  const watch = watchPeaks(srv.kes);
  const figures = await attack();
  const legit = await load.snapshot();
  const peak = watch.stop();
  const lag = (await srv.kes.figures()).delay; // the server's event-loop lag during the attack
  const after = await settle(srv.kes, before, { timeoutMs: settleMs });
  const errors = { ...legit.errors };
  // The keys no attack may touch: the legitimate client's and the smuggling victim.
  const guarded = ['victim', 'legit-0', 'legit-1', 'legit-2', 'legit-3'];
  const keysLost = (await Promise.all(guarded.map((k) => srv.call('GET', `/v1/key/describe/${k}`)))).filter((r) => r.status !== 200).length;
  report(`hostile input: ${name}`, {
    ...figures,
    faultsInjected: figures.requests,
    errors,
    keysLost,
    legitimate: { requests: legit.requests, ok: legit.ok, p50Ms: legit.latency.p50, p99Ms: legit.latency.p99, maxMs: legit.latency.max, timeoutMs: LEGIT_TIMEOUT_MS },
    server: {
      fds: { before: before.fds, peak: peak.fds, after: after.fds },
      rssMiB: { before: mib(before.rss), peak: mib(peak.rss), after: mib(after.rss) },
      heapMiB: { before: mib(before.heapUsed), after: mib(after.heapUsed) },
      eventLoopLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
      settleMs: after.settleMs,
      closeWaitAfter: after.closeWait,
    },
  });
  expect(srv.kes.isRunning(), 'the server process is still running').toBe(true);
  expect(keysLost).toBe(0);
  expect(errors, `legitimate client errors during ${name}: ${JSON.stringify(legit.failures.slice(0, 5))}`).toEqual({});
  expect(legit.ok, 'the legitimate client kept being served').toBeGreaterThan(0);
  expect(legit.latency.p99).toBeLessThan(LEGIT_TIMEOUT_MS);
  expect(peak.rss - before.rss, 'RSS growth during the attack').toBeLessThan(RSS_BUDGET);
  expect(after.fds, 'descriptors back down after the attack').toBeLessThanOrEqual(before.fds + 4);
  expect(after.closeWait, 'connections their clients closed but the server kept (CLOSE-WAIT)').toBe(0);
  expect(after.heapUsed - before.heapUsed, 'heap after the attack (after GC)').toBeLessThan(HEAP_BUDGET);
  return { legit, before, after, lag };
}

describe('hostile input (HTTP and TLS layers)', () => {
  it('mutation fuzzer over recorded requests (HTTP/1.1 and HTTP/2): only the spec’s statuses, never a 5xx, never a hang', async () => {
    const share = (f: number) => Math.round(PROFILE.fuzzCases * f);
    let violations: unknown[] = [];
    await underAttack('mutation fuzzer', async () => {
      const h1 = await runFuzz(srv.kes.port, ws.admin, material, { cases: share(0.4), concurrency: 8, seed: 20_241_128, deadlineMs: 10_000 });
      const h2 = await runFuzzH2(srv.kes.url, ws.tls.certPem, ws.admin, material, { cases: share(0.35), concurrency: 8, seed: 20_241_129, deadlineMs: 10_000 });
      const narrow = await runFuzz(srv.kes.port, reader, material, { cases: share(0.25), concurrency: 8, seed: 20_241_130, deadlineMs: 10_000 });
      violations = [...h1.violations, ...h2.violations, ...narrow.violations];
      return {
        requests: h1.cases + h2.cases + narrow.cases,
        seeds: '20241128 (HTTP/1.1, admin), 20241129 (HTTP/2, admin), 20241130 (HTTP/1.1, narrow policy)',
        http1: { statuses: h1.byStatus, violations: h1.violationCount, durationMs: h1.durationMs },
        http2: { statuses: h2.byStatus, violations: h2.violationCount, durationMs: h2.durationMs },
        narrowPolicy: { statuses: narrow.byStatus, violations: narrow.violationCount, durationMs: narrow.durationMs },
        mutations: h1.byMutation,
      };
    });
    expect(violations).toEqual([]);
    expect(srv.kes.stderr()).not.toMatch(/request failed/);
  }, budget(PROFILE.fuzzCases * 15 + 20_000));

  it('request smuggling: conflicting or obfuscated framing is answered 400 and the connection closed; the smuggled request never runs', async () => {
    let failures: unknown[] = [];
    await underAttack('request smuggling', async () => {
      const cases = smugglingCases('fuzz-key', 'victim');
      const f = await runSmuggling(srv.kes.port, ws.admin, cases, PROFILE.name === 'long' ? 20 : 3);
      failures = [...f.failures];
      return { requests: f.attempts, cases: cases.length, outcomes: f.outcomes };
    });
    expect(failures).toEqual([]);
    expect((await srv.call('GET', '/v1/key/describe/victim')).status, 'the victim key of the smuggled DELETE survives').toBe(200);
  }, budget(20_000));

  it('oversized heads (431) and bodies (400, reading stops): memory stays bounded', async () => {
    let outcomes: Record<string, number> = {};
    let maxBytes = 0;
    await underAttack('oversized heads and bodies', async () => {
      const f = await oversizeRound(srv.kes.port, srv.kes.url, ws.tls.certPem, ws.admin, 'fuzz-key', PROFILE.name === 'long' ? 20 : 8);
      outcomes = f.outcomes;
      maxBytes = f.maxBytesAccepted;
      return { requests: f.requests, outcomes: f.outcomes, maxBodyBytesWritten: f.maxBytesAccepted };
    });
    // The server ends its side after the answer and lingers (discarding input) before it closes, so a client still
    // writing reads the answer instead of a TCP reset.
    const expected: Array<[RegExp, RegExp]> = [
      [/huge header|5000 headers/, /→ 431\+close$/],
      [/h2 40 KiB header/, /→ 431$/],
      [/declared 2 MB body/, /→ 400\+close$/],
      [/h1 chunked 50 MB body/, /→ 400$/],
      [/h2 50 MB body/, /→ 400\+reset$/],
    ];
    for (const outcome of Object.keys(outcomes)) expect(outcome).toMatch(expected.find(([c]) => c.test(outcome))?.[1] ?? /^never$/);
    expect(maxBytes, 'a 50 MB body is cut off near the 1 MB limit, not read to the end').toBeLessThan(16 * 1024 * 1024);
  }, budget(40_000));

  it('slowloris at the TLS handshake: every connection closed within the handshake timeout', async () => {
    let closedMax = 0;
    let stillOpen = -1;
    await underAttack('slowloris (handshake)', async () => {
      const f = await slowHandshakes(srv.kes.port, 300, 200, HANDSHAKE_TIMEOUT_MS + 10_000);
      closedMax = f.closedAfter.max;
      stillOpen = f.stillOpen;
      return { requests: f.connections, closedAfterMs: f.closedAfter, stillOpen: f.stillOpen, bytesDripped: f.bytesDripped, limitMs: HANDSHAKE_TIMEOUT_MS };
    });
    expect(stillOpen).toBe(0);
    expect(closedMax).toBeLessThan(HANDSHAKE_TIMEOUT_MS + SLACK_MS);
  }, budget(20_000));

  it('slowloris in the request head (fresh and keep-alive connections): closed within the header timeout', async () => {
    let closedMax = 0;
    let stillOpen = -1;
    await underAttack('slowloris (request head)', async () => {
      const f = await slowHeads(srv.kes.port, ws.admin, 200, 100, HEADER_TIMEOUT_MS + 10_000);
      closedMax = f.closedAfter.max;
      stillOpen = f.stillOpen;
      return { requests: f.connections, closedAfterMs: f.closedAfter, stillOpen: f.stillOpen, bytesDripped: f.bytesDripped, limitMs: HEADER_TIMEOUT_MS };
    });
    expect(stillOpen).toBe(0);
    expect(closedMax).toBeLessThan(HEADER_TIMEOUT_MS + SLACK_MS);
  }, budget(20_000));

  it('slowloris in the body: torn down at the route timeout', async () => {
    let closedMax = 0;
    let stillOpen = -1;
    await underAttack('slowloris (body)', async () => {
      const f = await slowBodies(srv.kes.port, ws.admin, '/v1/key/encrypt/fuzz-key', 200, 100, ROUTE_TIMEOUT_MS + 10_000);
      closedMax = f.closedAfter.max;
      stillOpen = f.stillOpen;
      return { requests: f.connections, closedAfterMs: f.closedAfter, stillOpen: f.stillOpen, bytesDripped: f.bytesDripped, limitMs: ROUTE_TIMEOUT_MS };
    });
    expect(stillOpen).toBe(0);
    expect(closedMax).toBeLessThan(ROUTE_TIMEOUT_MS + SLACK_MS);
  }, budget(20_000));

  it('1,000 idle keep-alive connections: held without harm, released when the clients go', async () => {
    let opened = 0;
    await underAttack('1,000 idle connections', async () => {
      const flood = await openIdle(srv.kes.port, ws.admin, 1_000);
      opened = flood.opened;
      const withIdle = srv.kes.fds();
      await new Promise((r) => setTimeout(r, PROFILE.attackMs));
      const stillOpen = flood.stillOpen();
      flood.close();
      return { requests: flood.opened, outcomes: flood.outcomes, openMs: flood.openMs, serverFdsWhileHeld: withIdle, stillOpenAfterHold: stillOpen };
    });
    expect(opened).toBe(1_000);
  }, budget(40_000));

  it('storms of 500 new mTLS handshakes: every connection served', async () => {
    let outcomes: Record<string, number> = {};
    await underAttack('storm of 500 mTLS handshakes', async () => {
      const f = await handshakeStorms(srv.kes.port, ws.admin, 500, PROFILE.attackMs);
      outcomes = f.outcomes;
      return { requests: f.handshakes, storms: f.storms, outcomes: f.outcomes, connectionMs: f.connectionTime, stormMs: f.stormMs };
    });
    expect(Object.keys(outcomes)).toEqual(['ok']);
    expect(total(outcomes)).toBeGreaterThanOrEqual(500);
  }, budget(40_000));

  it('HTTP/2 rapid reset (streams opened and cancelled at once): the server stays up, keeps serving, and frees every connection', async () => {
    let reset = 0;
    // The server closes a session that cancels too many streams (GOAWAY ENHANCE_YOUR_CALM, then the socket); a
    // flooding client that no longer reads while its writes are blocked may not see the GOAWAY before the close.
    const { lag } = await underAttack('HTTP/2 rapid reset', async () => {
      const f = await rapidReset(srv.kes.url, ws.tls.certPem, ws.admin, PROFILE.attackMs);
      reset = f.streamsReset;
      return { requests: f.streamsReset, sessions: f.sessions, goawaysByCode: f.goaways };
    });
    expect(reset).toBeGreaterThan(1_000);
    expect(lag.p99, 'the server’s event-loop lag p99 during the flood (ms)').toBeLessThan(RAPID_RESET_LAG_P99_MS);
  }, budget(40_000));
});
