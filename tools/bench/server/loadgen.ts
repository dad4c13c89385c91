/**
 * The load generator, run as its own process (so the server under test has a core to itself): receives jobs from
 * the orchestrator over IPC, tells it when the measured window starts and ends (it reads the server's CPU time at
 * those moments), and answers with counts and latencies.
 *
 * - `closed`: `connections` keep-alive connections, each sending its next request as soon as the previous answer
 *   arrived (maximum throughput);
 * - `rate`: requests scheduled at a fixed rate over `connections` connections; latency counts from the scheduled
 *   time, so queueing behind a slow answer is included (no coordinated omission);
 * - `handshake`: `connections` loops of new mTLS connection + `GET /version` + close.
 */
import { openH1, openH2, oneShot, type Conn, type Req, type Target } from './clients.js';
import { Samples, type LatencySummary } from './stats.js';

/** A job from the orchestrator. */
export interface Job {
  kind: 'closed' | 'rate' | 'handshake';
  protocol: 'h1' | 'h2';
  connections: number;
  target: Target;
  request: { method: string; path: string; body: string };
  /** Requests per second (`rate` only). */
  rate?: number;
  warmupMs: number;
  durationMs: number;
}

/** What a job measured. */
export interface JobResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  latency: LatencySummary;
  /** CPU time of the load generator during the window, in ms. */
  clientCpuMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Window {
  measuring = false;
  stopped = false;
  ok = 0;
  errors = 0;
  readonly samples = new Samples();

  record(status: number | undefined, ms: number): void {
    if (!this.measuring) return;
    if (status === 200) {
      this.ok++;
      this.samples.add(ms);
    } else this.errors++;
  }
}

async function measure(job: Job, w: Window, drive: () => Promise<void>): Promise<JobResult> {
  const driving = drive();
  await sleep(job.warmupMs);
  process.send!({ type: 'mark', phase: 'start' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  w.measuring = true;
  await sleep(job.durationMs);
  w.measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.send!({ type: 'mark', phase: 'end' });
  w.stopped = true;
  await driving;
  return {
    requests: w.ok,
    errors: w.errors,
    seconds,
    rps: w.ok / seconds,
    latency: w.samples.summary(),
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function closedLoop(job: Job, req: Req, conns: Conn[]): Promise<JobResult> {
  const w = new Window();
  return measure(job, w, async () => {
    await Promise.all(
      conns.map(async (c) => {
        while (!w.stopped) {
          const t = performance.now();
          const status = await c.send(req).catch(() => undefined);
          w.record(status, performance.now() - t);
          if (status === undefined) return;
        }
      }),
    );
  });
}

async function fixedRate(job: Job, req: Req, conns: Conn[]): Promise<JobResult> {
  const w = new Window();
  const interval = 1000 / job.rate!;
  return measure(job, w, async () => {
    const idle = [...conns];
    const queue: number[] = [];
    let next = performance.now();
    const dispatch = () => {
      while (queue.length > 0 && idle.length > 0) {
        const c = idle.pop()!;
        const scheduled = queue.shift()!;
        void c.send(req).then(
          (status) => {
            w.record(status, performance.now() - scheduled);
            idle.push(c);
            dispatch();
          },
          () => w.record(undefined, 0),
        );
      }
    };
    while (!w.stopped) {
      const now = performance.now();
      while (next <= now) {
        queue.push(next);
        next += interval;
      }
      dispatch();
      await new Promise((r) => setImmediate(r));
      if (performance.now() - now < 0.2) await sleep(0);
    }
    while (idle.length < conns.length) await sleep(5);
  });
}

async function handshakes(job: Job): Promise<JobResult> {
  const w = new Window();
  return measure(job, w, async () => {
    await Promise.all(
      Array.from({ length: job.connections }, async () => {
        while (!w.stopped) {
          const t = performance.now();
          const status = await oneShot(job.target).catch(() => undefined);
          w.record(status, performance.now() - t);
        }
      }),
    );
  });
}

async function run(job: Job): Promise<JobResult> {
  if (job.kind === 'handshake') return handshakes(job);
  const req: Req = { method: job.request.method, path: job.request.path, body: Buffer.from(job.request.body) };
  const open = job.protocol === 'h1' ? openH1 : openH2;
  const conns = await Promise.all(Array.from({ length: job.connections }, () => open(job.target)));
  try {
    return job.kind === 'closed' ? await closedLoop(job, req, conns) : await fixedRate(job, req, conns);
  } finally {
    for (const c of conns) c.close();
  }
}

process.on('message', (job: Job) => {
  run(job).then(
    (result) => process.send!({ type: 'result', result }),
    (err: unknown) => process.send!({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
process.send!({ type: 'ready' });
