/**
 * CPU time of a process tree from Linux `/proc` (a server process and, in cluster mode, its workers): user + system
 * time in microseconds, read from outside so any server can be measured without its cooperation.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let tick: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`, normally 100). */
function ticksPerSecond(): number {
  if (tick === undefined) {
    try {
      tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      tick = 100;
    }
  }
  return tick;
}

/** utime + stime (and stime alone) of `pid` in ticks, and its parent pid; `undefined` once it is gone. */
function statOf(pid: number): { ticks: number; sys: number; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] = state (field 3); utime = field 14, stime = field 15, ppid = field 4
    return { ticks: Number(fields[11]) + Number(fields[12]), sys: Number(fields[12]), ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** The pids of `root` and all its descendants. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = statOf(pid);
    if (s !== undefined) parents.set(pid, s.ppid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** CPU time (user + system) of each pid in microseconds. */
export function cpuMicros(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = statOf(pid);
    if (s !== undefined) out.set(pid, (s.ticks * 1e6) / ticksPerSecond());
  }
  return out;
}

/** Total CPU time of `pids` in microseconds. */
export function totalCpuMicros(pids: readonly number[]): number {
  let sum = 0;
  for (const v of cpuMicros(pids).values()) sum += v;
  return sum;
}

/** System (kernel) CPU time of `pids` in microseconds. */
export function systemCpuMicros(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    const s = statOf(pid);
    if (s !== undefined) sum += (s.sys * 1e6) / ticksPerSecond();
  }
  return sum;
}
