/**
 * End-to-end benchmark of the KES server over mTLS on loopback, one command (`npm run bench:server`):
 *
 * - requests/s and p50/p99 latency of generate and decrypt with a cached key, HTTP/1.1 and HTTP/2, 1 and 64
 *   keep-alive connections; new-connection (handshake) rate;
 * - the same generate workload against a bare `node:https` (and `node:http2`) server doing the same crypto, in the
 *   same run, and the ratio (goal ≥ 0.8);
 * - p99 latency at a fixed rate of half the measured capacity over 64 connections (goal < 5 ms).
 *
 * The server under test and the load generator run in processes of their own, so on a 2-core machine each gets a
 * core; the server's CPU time is read from /proc around each measured window, which gives the server CPU time per
 * request and the throughput one core sustains ("req/s per core") independently of the load generator's speed and of
 * other load on the machine. Linux only (/proc). Bounded: every case runs `--warmup` + `--duration` seconds
 * (default 1 + 3; `--quick` = 0.5 + 1.5); the comparisons alternate `--rounds` times (default 5) between the two
 * servers and compare medians. Prints a table, then the JSON (also written to `--json <file>` if given).
 *
 *   npx tsx --conditions=@kes/source tools/bench/server.ts [--duration 3] [--warmup 1] [--quick] [--json out.json]
 *     [--only <regexp over case names>] [--profile <dir>: V8 CPU profiles of the servers, for chrome://inspect]
 *     [--rounds 5] [--audit off: run the kes server without its audit log on stdout]
 */
import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import type { Job, JobResult } from './server/loadgen.js';
import { processTree, systemCpuMicros, totalCpuMicros } from './server/proc-cpu.js';
import { buildPackages, canPin, forkTs, nextMessage, stopChild } from './server/processes.js';
import { formatTable, type CaseResult } from './server/report.js';
import { createSetup, type BenchSetup } from './server/setup.js';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    profile: { type: 'string' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    audit: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const durationMs = 1000 * Number(flags.duration ?? (flags.quick ? 1.5 : 3));
const warmupMs = 1000 * Number(flags.warmup ?? (flags.quick ? 0.5 : 1));
const rounds = Number(flags.rounds ?? (flags.quick ? 1 : 5));
// the load generator on CPU 0, the server under test on CPU 1: each has a core of its own
const pin = !flags['no-pin'] && canPin(cpus().length);
const SERVER_CPU = pin ? 1 : undefined;
const LOADGEN_CPU = pin ? 0 : undefined;
const log = (line: string) => process.stderr.write(`${line}\n`);

// MinIO's SSE-KMS context: its JSON-encoded encryption context.
const CONTEXT = Buffer.from('{"aws:s3:arn":"arn:aws:s3:::my-bucket/path/to/object.bin"}').toString('base64');

interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
}

async function startTarget(mode: string, setupFile: string, env?: NodeJS.ProcessEnv, workers?: number): Promise<Running> {
  // stdout (the audit log of the kes server) goes to /dev/null: written for every request, like in production
  const profile = flags.profile ? [`--cpu-prof`, `--cpu-prof-dir=${flags.profile}/${mode}`] : [];
  const childEnv = { ...process.env, ...env, ...(flags.audit === 'off' ? { KES_BENCH_AUDIT: 'off' } : {}) };
  const child = forkTs('target.mjs', [mode, setupFile, ...(workers === undefined ? [] : [String(workers)])], ['ignore', 'ignore', 'inherit', 'ipc'], childEnv, profile, SERVER_CPU);
  const { port } = await nextMessage<{ type: string; port: number }>(child, 'ready');
  return { name: workers === undefined ? mode : `kes ×${workers}`, child, port };
}

/** Requests each worker of a `kes-config` target has served so far. */
async function workerCounts(target: Running): Promise<number[]> {
  target.child.send({ type: 'counts' });
  return (await nextMessage<{ type: string; counts: number[] }>(target.child, 'counts')).counts;
}

/** One generate request with node:https: checks the target works and returns a ciphertext for decrypt. */
function generateOnce(port: number, setup: BenchSetup): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: `/v1/key/generate/${setup.keyName}`, cert: setup.clientCertPem, key: setup.clientKeyPem, rejectUnauthorized: false, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(text) as { ciphertext: string }).ciphertext) : reject(new Error(`generate: ${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ context: CONTEXT }));
  });
}

async function runCase(loadgen: ChildProcess, target: Running, name: string, workload: string, job: Job, shares?: () => Promise<number[]>): Promise<CaseResult | undefined> {
  if (flags.only !== undefined && !new RegExp(flags.only).test(name.replace(/ #\d+$/, ''))) return undefined;
  const pids = processTree(target.child.pid!);
  let cpuStart = 0;
  let cpuEnd = 0;
  let sysStart = 0;
  let sysEnd = 0;
  const marks = (msg: { type: string; phase?: string }) => {
    if (msg.type !== 'mark') return;
    if (msg.phase === 'start') {
      cpuStart = totalCpuMicros(pids);
      sysStart = systemCpuMicros(pids);
    } else {
      cpuEnd = totalCpuMicros(pids);
      sysEnd = systemCpuMicros(pids);
    }
  };
  loadgen.on('message', marks);
  const before = shares ? await shares() : undefined;
  try {
    loadgen.send(job);
    const { result } = await nextMessage<{ type: string; result: JobResult }>(loadgen, 'result');
    const after = shares ? await shares() : undefined;
    const cpuUs = cpuEnd - cpuStart;
    const row: CaseResult = {
      name,
      server: target.name,
      workload,
      protocol: job.protocol,
      connections: job.connections,
      ...(job.rate === undefined ? {} : { rate: Math.round(job.rate) }),
      ...result,
      serverCpuUsPerRequest: result.requests > 0 ? cpuUs / result.requests : 0,
      serverSysUsPerRequest: result.requests > 0 ? (sysEnd - sysStart) / result.requests : 0,
      perCoreRps: cpuUs > 0 ? (result.requests * 1e6) / cpuUs : 0,
    };
    if (before && after) {
      const served = after.map((n, i) => n - (before[i] ?? 0));
      const total = served.reduce((a, b) => a + b, 0);
      row.workerShares = served.map((n) => (total > 0 ? n / total : 0));
    }
    log(`  ${name.padEnd(28)} ${Math.round(row.rps).toString().padStart(7)} req/s  p99 ${row.latency.p99.toFixed(2)} ms  ${row.serverCpuUsPerRequest.toFixed(1)} µs CPU/req (${row.serverSysUsPerRequest.toFixed(1)} system)`);
    return row;
  } finally {
    loadgen.off('message', marks);
  }
}

function job(setup: BenchSetup, port: number, kind: Job['kind'], protocol: Job['protocol'], connections: number, path: string, body: string, rate?: number): Job {
  return {
    kind,
    protocol,
    connections,
    target: { host: '127.0.0.1', port, certPem: setup.clientCertPem, keyPem: setup.clientKeyPem },
    request: { method: 'POST', path, body },
    ...(rate === undefined ? {} : { rate }),
    warmupMs,
    durationMs,
  };
}

/** The median of `runs` by server throughput per core. */
function median(runs: CaseResult[]): CaseResult {
  return [...runs].sort((a, b) => a.perCoreRps - b.perCoreRps)[Math.floor(runs.length / 2)]!;
}

async function main(): Promise<void> {
  log('building the packages (tsc -b) so the servers run compiled, as in production');
  buildPackages(join(import.meta.dirname, '..', '..'));
  const { dir, file, setup } = await createSetup();
  const loadgen = forkTs('loadgen.ts', [], undefined, process.env, [], LOADGEN_CPU);
  const cases: CaseResult[] = [];
  const comparisons: Comparison[] = [];
  const push = (c: CaseResult | undefined) => c && cases.push(c);
  const targets: Running[] = [];
  try {
    await nextMessage(loadgen, 'ready');
    const gen = `/v1/key/generate/${setup.keyName}`;
    const dec = `/v1/key/decrypt/${setup.keyName}`;
    const genBody = JSON.stringify({ context: CONTEXT });
    // all servers run at once (an idle one costs nothing), so comparisons can alternate between them
    const [kes, bareHttps, bareH2] = await Promise.all(['kes', 'bare-https', 'bare-h2'].map((mode) => startTarget(mode, file)));
    targets.push(kes!, bareHttps!, bareH2!);
    const decBody = JSON.stringify({ ciphertext: await generateOnce(kes!.port, setup), context: CONTEXT });
    await generateOnce(bareHttps!.port, setup);
    await generateOnce(bareH2!.port, setup);
    // JIT warm-up of every server on both protocols before anything is measured (the first seconds cost several times more)
    log('warming up the servers');
    for (const target of targets) {
      for (const protocol of target.name === 'bare-https' ? (['h1'] as const) : (['h1', 'h2'] as const)) {
        loadgen.send({ ...job(setup, target.port, 'closed', protocol, 16, gen, genBody), warmupMs: warmupMs * 2, durationMs: 200 });
        await nextMessage(loadgen, 'result');
      }
    }

    log(`kes server (one process, audit log on), ${durationMs / 1000} s per case after ${warmupMs / 1000} s warm-up${pin ? '; load generator on CPU 0, servers on CPU 1' : ''}`);
    for (const [workload, path, body] of [['generate', gen, genBody], ['decrypt', dec, decBody]] as const) {
      for (const protocol of ['h1', 'h2'] as const) {
        for (const conns of [1, 64]) {
          push(await runCase(loadgen, kes!, `${workload} ${protocol} ${conns}c`, workload, job(setup, kes!.port, 'closed', protocol, conns, path, body)));
        }
      }
    }
    push(await runCase(loadgen, kes!, 'new connection + /version', 'handshake', { ...job(setup, kes!.port, 'handshake', 'h1', 16, '/version', ''), request: { method: 'GET', path: '/version', body: '' } }));
    push(await runCase(loadgen, bareHttps!, 'new connection + /version', 'handshake', { ...job(setup, bareHttps!.port, 'handshake', 'h1', 16, '/version', ''), request: { method: 'GET', path: '/version', body: '' } }));
    for (const protocol of ['h1', 'h2'] as const) {
      const capacity = cases.find((c) => c.name === `generate ${protocol} 64c`)?.rps ?? 4000;
      push(await runCase(loadgen, kes!, `generate ${protocol} 64c @ 50%`, 'generate-rate', job(setup, kes!.port, 'rate', protocol, 64, gen, genBody, capacity / 2)));
    }

    log(`the same generate workload, alternating ${rounds}× between kes and a bare server doing the same crypto`);
    for (const [protocol, conns, bare] of [['h1', 64, bareHttps!], ['h1', 1, bareHttps!], ['h2', 64, bareH2!]] as const) {
      const name = `generate ${protocol} ${conns}c`;
      if (flags.only !== undefined && !new RegExp(flags.only).test(name)) continue;
      const ours: CaseResult[] = [];
      const theirs: CaseResult[] = [];
      for (let round = 0; round < rounds; round++) {
        ours.push((await runCase(loadgen, kes!, `${name} #${round + 1}`, 'generate', job(setup, kes!.port, 'closed', protocol, conns, gen, genBody)))!);
        theirs.push((await runCase(loadgen, bare, `${name} #${round + 1}`, 'generate', job(setup, bare.port, 'closed', protocol, conns, gen, genBody)))!);
      }
      const a = median(ours);
      const b = median(theirs);
      cases.push({ ...a, name: `${name} (median)` }, { ...b, name: `${name} (median)` });
      comparisons.push({ case: name, against: bare.name, perCoreRatio: a.perCoreRps / b.perCoreRps, wallRatio: a.rps / b.rps, runs: { kes: ours, [bare.name]: theirs } });
    }
    for (const target of [kes!, bareHttps!, bareH2!]) await stopChild(target.child);

    if (flags.only === undefined || new RegExp(flags.only).test('cluster')) {
      log(`both cores: the app's way (config file, fs keystore) with one and with two worker processes, alternating ${rounds}×`);
      const single = await startTarget('kes-config', file, undefined, 1);
      const double = await startTarget('kes-config', file, undefined, 2);
      targets.push(single, double);
      for (const target of [single, double]) {
        loadgen.send({ ...job(setup, target.port, 'closed', 'h1', 16, gen, genBody), warmupMs: warmupMs * 2, durationMs: 200 });
        await nextMessage(loadgen, 'result');
      }
      const one: CaseResult[] = [];
      const two: CaseResult[] = [];
      for (let round = 0; round < rounds; round++) {
        one.push((await runCase(loadgen, single, `generate h1 64c #${round + 1}`, 'generate', job(setup, single.port, 'closed', 'h1', 64, gen, genBody)))!);
        two.push((await runCase(loadgen, double, `generate h1 64c #${round + 1}`, 'generate', job(setup, double.port, 'closed', 'h1', 64, gen, genBody), () => workerCounts(double)))!);
      }
      const a = median(one);
      const b = median(two);
      cases.push({ ...a, name: 'generate h1 64c (median)' }, { ...b, name: 'generate h1 64c (median)' });
      scaling = {
        cpuPerRequestRatio: b.serverCpuUsPerRequest / a.serverCpuUsPerRequest,
        workerShares: b.workerShares ?? [],
        runs: { one, two },
      };
    }
  } finally {
    loadgen.kill();
    await Promise.all(targets.map((t) => stopChild(t.child)));
    rmSync(dir, { recursive: true, force: true });
  }
  report(cases, comparisons, scaling);
}

/** Two worker processes against one: server CPU per request and how the requests were shared. */
interface Scaling {
  cpuPerRequestRatio: number;
  workerShares: number[];
  runs: { one: CaseResult[]; two: CaseResult[] };
}
let scaling: Scaling | undefined;

/** Our server against a bare one on the same workload (medians of alternating runs). */
interface Comparison {
  case: string;
  against: string;
  perCoreRatio: number;
  wallRatio: number;
  runs: Record<string, CaseResult[]>;
}

function report(cases: CaseResult[], comparisons: Comparison[], scaling: Scaling | undefined): void {
  const find = (server: string, name: string) => cases.find((c) => c.server === server && c.name === name);
  const rate64 = find('kes', 'generate h1 64c @ 50%');
  const shares = scaling?.workerShares ?? [];
  const goals = {
    ...(scaling === undefined
      ? {}
      : {
          twoWorkersCpuPerRequest: { goal: '<= 1.15 × one process (server CPU µs per request)', value: scaling.cpuPerRequestRatio, met: scaling.cpuPerRequestRatio <= 1.15 },
          workerShare: { goal: 'each worker 35–65 % of the requests', value: Math.min(...shares), met: shares.length === 2 && shares.every((x) => x >= 0.35 && x <= 0.65) },
        }),
    generateVsBare: { goal: '>= 0.8 (req/s per core, generate h1 64c)', value: comparisons[0]?.perCoreRatio ?? 0, met: (comparisons[0]?.perCoreRatio ?? 0) >= 0.8 },
    p99AtHalfCapacity: { goal: '< 5 ms (generate h1 64c at 50% of capacity)', value: rate64?.latency.p99 ?? 0, met: (rate64?.latency.p99 ?? Infinity) < 5 },
  };
  process.stdout.write(`\n${formatTable(cases)}\n\n`);
  for (const c of comparisons) {
    const med = (runs: CaseResult[]) => median(runs);
    process.stdout.write(`${c.case}: kes ${Math.round(med(c.runs['kes']!).perCoreRps)} vs ${c.against} ${Math.round(med(c.runs[c.against]!).perCoreRps)} req/s per core (medians of ${rounds})\n`);
    process.stdout.write(`${c.case}: kes / ${c.against} = ${c.perCoreRatio.toFixed(2)} per core (${c.wallRatio.toFixed(2)} wall-clock)\n`);
  }
  if (scaling !== undefined) {
    process.stdout.write(`two workers: ${scaling.cpuPerRequestRatio.toFixed(2)} × the server CPU per request of one process; shares ${shares.map((x) => `${(x * 100).toFixed(1)} %`).join(' / ')}\n`);
  }
  for (const g of Object.values(goals)) process.stdout.write(`goal ${g.goal}: ${g.value.toFixed(2)} ${g.met ? 'met' : 'NOT MET'}\n`);
  const json = { node: process.version, cpus: cpus().length, usableCpus: availableParallelism(), date: new Date().toISOString(), warmupMs, durationMs, cases, comparisons, scaling, goals };
  const text = JSON.stringify(json, null, 2);
  process.stdout.write(`\n${text}\n`);
  if (flags.json) writeFileSync(flags.json, `${text}\n`);
}

await main();
