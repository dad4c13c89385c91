/**
 * Preloaded into a kes-server process by {@link spawnKes} (`--import`), never imported by tests: answers `stats`
 * messages on the IPC channel with figures only the process itself can see — V8 heap, the event-loop delay
 * (`monitorEventLoopDelay`) and its active handles and requests by type (`process.getActiveResourcesInfo()`). With
 * `gc: true` it collects garbage first (the process runs with `--expose-gc`), so heaps compare without noise.
 * With `KES_RELIABILITY_PROBE_ASYNC=1` it also counts live async resources by type (every timer, socket, handle —
 * ref'ed or not — from creation to destruction; promises excluded), which is how leaks of timers are seen.
 * With `KES_RELIABILITY_PRELOAD=1` it loads the server's module graph before the app starts (an `--import` module
 * is awaited before the entry point), so that the app's start-up time is the server's own work — config, keystore,
 * TLS, listening — without the TypeScript loader and module loading, which are reported separately.
 * The channel is unref'ed: it never keeps the server alive.
 */
import { createHook } from 'node:async_hooks';
import cluster from 'node:cluster';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** A request from the test process. */
export interface ProbeRequest {
  readonly type: 'kes-probe';
  readonly id: number;
  /** Run a full garbage collection before measuring. */
  readonly gc?: boolean;
  /** Restart the event-loop delay histogram after reading it. */
  readonly resetDelay?: boolean;
}

/** The answer. Delays are milliseconds. */
export interface ProbeReply {
  readonly type: 'kes-probe';
  readonly id: number;
  readonly heapUsed: number;
  readonly rss: number;
  /** Event-loop lag since the last reset (ms): how late the 10 ms sampling timer fired. */
  readonly delay: { readonly p50: number; readonly p99: number; readonly max: number; readonly count: number };
  readonly resources: Record<string, number>;
  /** Live async resources by type (only with `KES_RELIABILITY_PROBE_ASYNC=1`). */
  readonly live?: Record<string, number>;
  /** `performance.now()` when the probe was loaded (after the TypeScript loader): the process's own start-up cost before the server. */
  readonly loadedAtMs: number;
  /** `performance.now()` when the server's modules were loaded (with `KES_RELIABILITY_PRELOAD=1`; else = `loadedAtMs`). */
  readonly modulesLoadedAtMs: number;
  /** CPU time (user + system, ms) the process had used when the probe was loaded, and now. */
  readonly cpuAtLoadMs: number;
  readonly cpuMs: number;
}

/** Sampling period of the delay histogram; its values are the period plus the lag, so the period is subtracted. */
const RESOLUTION_MS = 10;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();
const loadedAtMs = performance.now();
const cpuMs = () => {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
};
const cpuAtLoadMs = cpuMs();
if (process.env['KES_RELIABILITY_PRELOAD'] === '1') {
  await import('@kes/server/launch');
  await import('@kes/keystore-fs');
}
const modulesLoadedAtMs = performance.now();

const liveTypes = new Map<number, string>();
if (process.env['KES_RELIABILITY_PROBE_ASYNC'] === '1') {
  createHook({
    init(asyncId, type) {
      if (type !== 'PROMISE') liveTypes.set(asyncId, type);
    },
    destroy(asyncId) {
      liveTypes.delete(asyncId);
    },
  }).enable();
}

function liveCounts(): Record<string, number> | undefined {
  if (process.env['KES_RELIABILITY_PROBE_ASYNC'] !== '1') return undefined;
  const out: Record<string, number> = {};
  for (const type of liveTypes.values()) out[type] = (out[type] ?? 0) + 1;
  return out;
}

function isProbeRequest(msg: unknown): msg is ProbeRequest {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'kes-probe';
}

// Only in the process the test started: a cluster worker's channel belongs to its primary (and must stay ref'ed).
if (process.send !== undefined && !cluster.isWorker) {
  process.on('message', (msg: unknown) => {
    if (!isProbeRequest(msg)) return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (msg.gc === true && gc !== undefined) {
      gc();
      gc();
    }
    const resources: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
    const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);
    const mem = process.memoryUsage();
    const reply: ProbeReply = {
      type: 'kes-probe',
      id: msg.id,
      heapUsed: mem.heapUsed,
      rss: mem.rss,
      delay: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), count: histogram.count },
      resources,
      ...(liveCounts() === undefined ? {} : { live: liveCounts()! }),
      loadedAtMs,
      modulesLoadedAtMs,
      cpuAtLoadMs,
      cpuMs: cpuMs(),
    };
    if (msg.resetDelay === true) histogram.reset();
    process.send?.(reply);
  });
  process.channel?.unref();
}
