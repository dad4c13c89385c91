/**
 * What `--mlock` can and cannot do in this process, for the start-up banner.
 *
 * Upstream KES calls `mlockall(MCL_CURRENT|MCL_FUTURE)` so that keys are never written to swap. A Node.js process
 * must not: measured with Node 20 (V8 11.3) and an FFI `mlockall`, the call succeeds but V8 then aborts the
 * process (`Check failed: 0 == ret` in `OS::SetPermissions`) the first time it hands locked pages back
 * (`madvise(MADV_DONTNEED)` fails with EINVAL on locked pages): when the young generation shrinks after a quiet
 * period, when a new JIT code page is set up, when a worker stops. So nothing is locked, and the banner says so,
 * together with the two facts that decide whether keys can reach swap here: the swap available to this process
 * (host swap and the cgroup's swap limit) and whether `CAP_IPC_LOCK` was granted (e.g. `--cap-add IPC_LOCK`).
 */
import { readFileSync } from 'node:fs';

/** `CAP_IPC_LOCK`'s bit in the capability masks of /proc/self/status. */
export const CAP_IPC_LOCK_BIT = 14;

/** What the process can see about memory locking and swap (Linux /proc and /sys; `undefined` = unknown). */
export interface MemoryLockProbe {
  /** `CAP_IPC_LOCK` is in the effective capability set. */
  readonly capIpcLock: boolean | undefined;
  /** The soft RLIMIT_MEMLOCK in bytes (`'unlimited'` when unlimited). */
  readonly memlockLimit: number | 'unlimited' | undefined;
  /** Swap space of the host in bytes (`SwapTotal` of /proc/meminfo). */
  readonly hostSwapBytes: number | undefined;
  /** The cgroup's swap allowance in bytes (`'max'` = no cgroup limit), when a cgroup sets one. */
  readonly cgroupSwap: number | 'max' | undefined;
}

/** Reads a file as text; `undefined` when it cannot be read. */
export type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Whether bit `bit` is set in a hexadecimal capability mask (`CapEff:` of /proc/self/status). `undefined` if malformed. */
export function hasCapability(hexMask: string, bit: number): boolean | undefined {
  if (!/^[0-9a-fA-F]{1,32}$/.test(hexMask)) return undefined;
  return ((BigInt(`0x${hexMask}`) >> BigInt(bit)) & 1n) === 1n;
}

/** The soft `Max locked memory` limit from /proc/self/limits text. `undefined` when absent or malformed. */
export function parseMemlockLimit(limits: string): number | 'unlimited' | undefined {
  const m = /^Max locked memory\s+(\S+)\s+\S+\s+bytes\s*$/m.exec(limits);
  if (!m) return undefined;
  if (m[1] === 'unlimited') return 'unlimited';
  return /^\d+$/.test(m[1]!) ? Number(m[1]) : undefined;
}

/** `SwapTotal` of /proc/meminfo text, in bytes. `undefined` when absent or malformed. */
export function parseSwapTotal(meminfo: string): number | undefined {
  const m = /^SwapTotal:\s+(\d+) kB\s*$/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : undefined;
}

/**
 * The swap allowance of this process's cgroup: cgroup v2 `memory.swap.max`, else cgroup v1
 * `memory.memsw.limit_in_bytes - memory.limit_in_bytes` (memory+swap minus memory). `undefined` when unknown.
 */
export function cgroupSwapAllowance(read: ReadText): number | 'max' | undefined {
  const cgroups = read('/proc/self/cgroup') ?? '';
  const v2 = /^0::(\S*)$/m.exec(cgroups)?.[1];
  if (v2 !== undefined) {
    const value = read(`/sys/fs/cgroup${v2 === '/' ? '' : v2}/memory.swap.max`)?.trim();
    if (value === 'max') return 'max';
    if (value !== undefined && /^\d+$/.test(value)) return Number(value);
  }
  const v1 = /^\d+:(?:[^:]*,)?memory(?:,[^:]*)?:(\S*)$/m.exec(cgroups)?.[1];
  if (v1 !== undefined) {
    for (const dir of [`/sys/fs/cgroup/memory${v1 === '/' ? '' : v1}`, '/sys/fs/cgroup/memory']) {
      const memsw = read(`${dir}/memory.memsw.limit_in_bytes`)?.trim();
      const mem = read(`${dir}/memory.limit_in_bytes`)?.trim();
      if (memsw === undefined || mem === undefined || !/^\d+$/.test(memsw) || !/^\d+$/.test(mem)) continue;
      const allowance = BigInt(memsw) - BigInt(mem);
      // An unlimited cgroup reports a huge page-aligned number for both; treat > 2^60 as no limit.
      return BigInt(memsw) >= 1n << 60n ? 'max' : Number(allowance < 0n ? 0n : allowance);
    }
  }
  return undefined;
}

/** Looks at /proc and /sys (or what `read` returns). Never throws; unknown facts are `undefined`. */
export function probeMemoryLock(read: ReadText = readText): MemoryLockProbe {
  const capEff = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(read('/proc/self/status') ?? '')?.[1];
  const limits = read('/proc/self/limits');
  const meminfo = read('/proc/meminfo');
  return {
    capIpcLock: capEff === undefined ? undefined : hasCapability(capEff, CAP_IPC_LOCK_BIT),
    memlockLimit: limits === undefined ? undefined : parseMemlockLimit(limits),
    hostSwapBytes: meminfo === undefined ? undefined : parseSwapTotal(meminfo),
    cgroupSwap: cgroupSwapAllowance(read),
  };
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1048576)} MiB`;
}

/** One line on whether memory of this process can be written to swap. */
export function swapLine(probe: MemoryLockProbe): string {
  if (probe.hostSwapBytes === 0) return 'swap: none on this host, so memory is never written to swap.';
  if (probe.cgroupSwap === 0) return 'swap: the cgroup allows none (e.g. --memory-swap equal to --memory), so memory is never written to swap.';
  const amount = probe.hostSwapBytes === undefined ? 'unknown amount' : mib(probe.hostSwapBytes);
  return `swap: available (${amount}): keys in memory can be swapped out; allow the container no swap (--memory-swap equal to --memory) or use encrypted swap.`;
}

/** One line on CAP_IPC_LOCK (granted or not) and RLIMIT_MEMLOCK. */
export function capabilityLine(probe: MemoryLockProbe): string {
  const limit = probe.memlockLimit === undefined ? '' : `; RLIMIT_MEMLOCK ${probe.memlockLimit === 'unlimited' ? 'unlimited' : mib(probe.memlockLimit)}`;
  if (probe.capIpcLock === true) return `CAP_IPC_LOCK: granted, but unused (nothing can be locked)${limit}.`;
  if (probe.capIpcLock === false) return `CAP_IPC_LOCK: not granted (not needed: nothing can be locked)${limit}.`;
  return `CAP_IPC_LOCK: unknown on this platform${limit}.`;
}

/**
 * The banner's MLock lines. The first line is stable (`requested, but not available: nothing is pinned in RAM.` /
 * `off: Node.js cannot lock process memory …`); the next ones say why and what protects keys from swap instead.
 */
export function memoryLockLines(requested: boolean, probe: MemoryLockProbe | undefined): string[] {
  const why = 'Node.js cannot lock process memory: V8 aborts when it releases locked pages, so mlockall is never called';
  const facts = probe === undefined ? [] : [swapLine(probe), capabilityLine(probe)];
  return requested ? ['requested, but not available: nothing is pinned in RAM.', `${why}.`, ...facts] : [`off: ${why}.`, ...facts];
}
