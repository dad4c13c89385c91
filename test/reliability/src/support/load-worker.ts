/**
 * The load generator process (started by {@link ./load-generator.ts}, never imported by tests): runs a
 * {@link LoadSpec} against kes-server processes and reports windows of figures over IPC. Running the legitimate
 * client in its own process keeps its latencies free of the event-loop delay of whatever else the test does (the
 * attacks).
 */
import { randomBytes } from 'node:crypto';
import { errorKind, h1Client, h2Client, type HttpClient, type Reply } from './http-client.js';
import type { FailureEvent, FromGenerator, KnownDek, LoadOp, LoadSpec, ToGenerator, WindowStats } from './load-protocol.js';
import { Prng } from './prng.js';
import { countKind, summarize, total, type KindCounts } from './stats.js';

const MAX_FAILURES = 200;

class Window {
  started = performance.now();
  requests = 0;
  ok = 0;
  errors: KindCounts = {};
  latencies: number[] = [];
  failures: FailureEvent[] = [];
  failuresBySecond: Record<string, number> = {};
  created: Record<string, string> = {};
  deks: KnownDek[] = [];

  take(): WindowStats {
    return {
      durationMs: Math.round(performance.now() - this.started),
      requests: this.requests,
      ok: this.ok,
      errors: this.errors,
      latency: summarize(this.latencies),
      failures: this.failures,
      failuresBySecond: this.failuresBySecond,
      created: this.created,
      deks: this.deks,
    };
  }
}

let win = new Window();
let running = false;
const loops: Promise<void>[] = [];

function send(msg: FromGenerator): void {
  process.send?.(msg);
}

/** Sends one request and accounts for it; resolves with the 200 answer, or the kind of failure. */
async function timed(client: HttpClient, op: string, key: string, method: string, path: string, body: string | undefined, timeoutMs: number): Promise<{ reply?: Reply; kind?: string }> {
  const start = Date.now();
  const t0 = performance.now();
  win.requests++;
  let kind: string;
  try {
    const reply = await client.request(method, path, body, timeoutMs);
    win.latencies.push(performance.now() - t0);
    if (reply.status === 200) {
      win.ok++;
      return { reply };
    }
    kind = `http-${reply.status}`;
    fail(kind, op, key, start, reply.body.toString('utf8').slice(0, 120));
  } catch (err) {
    kind = errorKind(err);
    fail(kind, op, key, start, (err as Error).message?.slice(0, 120));
  }
  return { kind };
}

function fail(kind: string, op: string, key: string, start: number, detail?: string): void {
  countKind(win.errors, kind);
  countKind(win.failuresBySecond, String(Math.floor(start / 1000)));
  if (win.failures.length < MAX_FAILURES) win.failures.push({ kind, op, key, start, end: Date.now(), ...(detail ? { detail } : {}) });
}

async function decryptCheck(client: HttpClient, spec: LoadSpec, dek: KnownDek): Promise<void> {
  const body = JSON.stringify({ ciphertext: dek.ciphertext, ...(dek.context === undefined ? {} : { context: dek.context }) });
  const { reply } = await timed(client, 'decrypt', dek.key, 'POST', `/v1/key/decrypt/${dek.key}`, body, spec.timeoutMs);
  if (reply === undefined) return;
  const plaintext = (JSON.parse(reply.body.toString('utf8')) as { plaintext?: string }).plaintext;
  if (plaintext !== dek.plaintext) {
    win.ok--;
    fail('wrong-plaintext', 'decrypt', dek.key, Date.now());
  }
}

async function runOp(op: LoadOp, spec: LoadSpec, clients: HttpClient[], rng: Prng, counter: { create: number }): Promise<void> {
  const client = rng.pick(clients);
  if (op === 'create') {
    const name = `${spec.createPrefix ?? 'load-'}${counter.create++}`;
    const { kind } = await timed(client, 'create', name, 'POST', `/v1/key/create/${name}`, undefined, spec.timeoutMs);
    win.created[name] = kind ?? 'ok';
    return;
  }
  if (op === 'decrypt') {
    if (spec.deks === undefined || spec.deks.length === 0) return;
    return decryptCheck(client, spec, rng.pick(spec.deks));
  }
  const key = rng.pick(spec.keys ?? ['load-key']);
  const context = randomBytes(12).toString('base64');
  const { reply } = await timed(client, 'generate', key, 'POST', `/v1/key/generate/${key}`, JSON.stringify({ context }), spec.timeoutMs);
  if (reply === undefined) return;
  const dek = JSON.parse(reply.body.toString('utf8')) as { plaintext: string; ciphertext: string };
  const known = { key, plaintext: dek.plaintext, ciphertext: dek.ciphertext, context };
  const body = JSON.stringify({ ciphertext: dek.ciphertext, context });
  const { reply: check } = await timed(rng.pick(clients), 'decrypt', key, 'POST', `/v1/key/decrypt/${key}`, body, spec.timeoutMs);
  if (check !== undefined && (JSON.parse(check.body.toString('utf8')) as { plaintext?: string }).plaintext !== dek.plaintext) {
    win.ok--;
    fail('wrong-plaintext', 'decrypt', key, Date.now());
  }
  if (check !== undefined && win.deks.length < (spec.keepDeks ?? 0)) win.deks.push(known);
}

function start(spec: LoadSpec): void {
  running = true;
  win = new Window();
  const clients = spec.endpoints.map((ep) => (spec.protocol === 'h2' ? h2Client(ep, 2) : h1Client(ep, spec.concurrency)));
  const t0 = performance.now();
  let ticket = 0;
  const counter = { create: 0 };
  for (let i = 0; i < spec.concurrency; i++) {
    const rng = new Prng(spec.seed * 1000 + i);
    loops.push(
      (async () => {
        while (running) {
          if (spec.ratePerSec !== undefined) {
            const due = t0 + (ticket++ * 1000) / spec.ratePerSec;
            const wait = due - performance.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            if (!running) break;
          }
          const failedBefore = total(win.errors);
          await runOp(rng.weighted(spec.mix), spec, clients, rng, counter);
          // Like a real client, back off a little after a failure instead of spinning against a server that is down.
          if (total(win.errors) > failedBefore) await new Promise((r) => setTimeout(r, 25));
        }
      })(),
    );
  }
  void Promise.all(loops).then(() => clients.forEach((c) => c.close()));
  send({ type: 'started' });
}

process.on('message', (msg: ToGenerator) => {
  if (msg.type === 'start') start(msg.spec);
  else if (msg.type === 'snapshot') {
    const stats = win.take();
    win = new Window();
    send({ type: 'stats', id: msg.id, stats });
  } else if (msg.type === 'stop') {
    running = false;
    void Promise.all(loops).then(() => {
      send({ type: 'stats', id: msg.id, stats: win.take() });
      process.disconnect?.();
    });
  }
});
