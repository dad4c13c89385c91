/** The bench's results: one row per case, the comparisons with the bare servers, the goals, as a table. */
import type { JobResult } from './loadgen.js';

/** One measured case. */
export interface CaseResult extends JobResult {
  name: string;
  server: string;
  workload: string;
  protocol: 'h1' | 'h2';
  connections: number;
  /** Target rate (`rate` cases). */
  rate?: number;
  /** Server CPU time (all its processes) per answered request, in µs. */
  serverCpuUsPerRequest: number;
  /** The part of it spent in the kernel (system calls: socket and log writes), in µs. */
  serverSysUsPerRequest: number;
  /** Answered requests per second of server CPU time: what one core could serve. */
  perCoreRps: number;
  /** Share of the requests each worker served (cluster cases). */
  workerShares?: number[];
}

const num = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Formats the cases as a fixed-width table. */
export function formatTable(cases: readonly CaseResult[]): string {
  const header = ['case', 'server', 'proto', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'srv CPU µs/req', 'req/s per core', 'errors'];
  const rows = cases.map((c) => [
    c.name,
    c.server,
    c.protocol,
    String(c.connections),
    num(c.rps),
    num(c.latency.p50, 2),
    num(c.latency.p99, 2),
    num(c.serverCpuUsPerRequest, 1),
    num(c.perCoreRps),
    String(c.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
