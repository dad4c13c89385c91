/**
 * Process and host figures for `/v1/status` and the `kes_system_*` metrics (spec §2.3, §9.3), named the way Go
 * reports them (`GOOS`/`GOARCH` spellings).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

const GO_OS: Partial<Record<NodeJS.Platform, string>> = { win32: 'windows', sunos: 'solaris' };
const GO_ARCH: Partial<Record<string, string>> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le', mipsel: 'mipsle' };

/** A snapshot of the process. */
export interface SystemStats {
  /** Go `GOOS` name of the platform (`linux`, `darwin`, `windows`, …). */
  os: string;
  /** Go `GOARCH` name of the CPU architecture (`amd64`, `arm64`, …). */
  arch: string;
  /** Logical CPUs of the host. */
  numCpu: number;
  /** CPUs this process may use (`os.availableParallelism()`, the analogue of `GOMAXPROCS`). */
  numCpuUsed: number;
  /** Bytes of the V8 heap in use. */
  heapUsed: number;
  /** Bytes of stack memory mapped for the process (Linux `VmStk`; 0 where the OS does not report it). */
  stackUsed: number;
  /** OS threads of the process (Linux `Threads`; 1 where the OS does not report it). */
  threads: number;
}

function procStatus(): { stackBytes: number; threads: number } {
  try {
    const text = readFileSync('/proc/self/status', 'latin1');
    const stack = /^VmStk:\s+(\d+)\s+kB$/m.exec(text);
    const threads = /^Threads:\s+(\d+)$/m.exec(text);
    return { stackBytes: stack ? Number(stack[1]) * 1024 : 0, threads: threads ? Number(threads[1]) : 1 };
  } catch {
    return { stackBytes: 0, threads: 1 };
  }
}

/** Reads the current figures. Never throws. */
export function systemStats(): SystemStats {
  const proc = procStatus();
  return {
    os: GO_OS[process.platform] ?? process.platform,
    arch: GO_ARCH[process.arch] ?? process.arch,
    numCpu: Math.max(1, cpus().length),
    numCpuUsed: availableParallelism(),
    heapUsed: process.memoryUsage().heapUsed,
    stackUsed: proc.stackBytes,
    threads: proc.threads,
  };
}
