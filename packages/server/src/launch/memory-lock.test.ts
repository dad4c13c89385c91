import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAP_IPC_LOCK_BIT,
  capabilityLine,
  cgroupSwapAllowance,
  hasCapability,
  memoryLockLines,
  parseMemlockLimit,
  parseSwapTotal,
  probeMemoryLock,
  swapLine,
  type MemoryLockProbe,
} from './memory-lock.js';

const files = (map: Record<string, string>) => (path: string) => map[path];

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max open files            20000                20000                files
Max locked memory         8388608              8388608              bytes
`;

describe('hasCapability', () => {
  it('reads CAP_IPC_LOCK from real CapEff masks', () => {
    expect(hasCapability('000001fffeffffff', CAP_IPC_LOCK_BIT)).toBe(true);
    expect(hasCapability('00000000a80425fb', CAP_IPC_LOCK_BIT)).toBe(false); // podman's default set
    expect(hasCapability('00000000a80465fb', CAP_IPC_LOCK_BIT)).toBe(true); // … plus IPC_LOCK
  });
  it('agrees with the bit of any mask and rejects what is not hex', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 63 }), (mask, bit) => {
        expect(hasCapability(mask.toString(16).padStart(16, '0'), bit)).toBe(((mask >> BigInt(bit)) & 1n) === 1n);
      }),
    );
    fc.assert(
      fc.property(fc.string().filter((s) => !/^[0-9a-fA-F]{1,32}$/.test(s)), (s) => {
        expect(hasCapability(s, 14)).toBeUndefined();
      }),
    );
  });
});

describe('parseMemlockLimit / parseSwapTotal', () => {
  it('read the soft limit and SwapTotal', () => {
    expect(parseMemlockLimit(LIMITS)).toBe(8388608);
    expect(parseMemlockLimit(LIMITS.replace('8388608              8388608', 'unlimited            unlimited'))).toBe('unlimited');
    expect(parseMemlockLimit('Max open files 1 1 files\n')).toBeUndefined();
    expect(parseSwapTotal('MemTotal: 100 kB\nSwapTotal:       2048 kB\n')).toBe(2 * 1024 * 1024);
    expect(parseSwapTotal('MemTotal: 100 kB\n')).toBeUndefined();
  });
  it('round-trip any number and never throw on garbage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 30 }), (limit, kb) => {
        expect(parseMemlockLimit(`Max locked memory         ${limit}  ${limit}  bytes\n`)).toBe(limit);
        expect(parseSwapTotal(`SwapTotal:   ${kb} kB\n`)).toBe(kb * 1024);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => parseMemlockLimit(s)).not.toThrow();
        expect(() => parseSwapTotal(s)).not.toThrow();
      }),
    );
  });
});

describe('cgroupSwapAllowance', () => {
  it('cgroup v2: memory.swap.max of the process cgroup', () => {
    expect(cgroupSwapAllowance(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.swap.max': '0\n' }))).toBe(0);
    expect(cgroupSwapAllowance(files({ '/proc/self/cgroup': '0::/a/b\n', '/sys/fs/cgroup/a/b/memory.swap.max': 'max\n' }))).toBe('max');
  });
  it('cgroup v1: memory+swap minus memory, in the named cgroup or the namespace root', () => {
    const v1 = '4:memory:/libpod_parent/x\n0::/\n';
    expect(
      cgroupSwapAllowance(
        files({ '/proc/self/cgroup': v1, '/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes': '536870912', '/sys/fs/cgroup/memory/memory.limit_in_bytes': '536870912' }),
      ),
    ).toBe(0);
    expect(
      cgroupSwapAllowance(
        files({
          '/proc/self/cgroup': v1,
          '/sys/fs/cgroup/memory/libpod_parent/x/memory.memsw.limit_in_bytes': '2000',
          '/sys/fs/cgroup/memory/libpod_parent/x/memory.limit_in_bytes': '1000',
        }),
      ),
    ).toBe(1000);
    const unlimited = '9223372036854771712';
    expect(
      cgroupSwapAllowance(
        files({ '/proc/self/cgroup': v1, '/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes': unlimited, '/sys/fs/cgroup/memory/memory.limit_in_bytes': unlimited }),
      ),
    ).toBe('max');
  });
  it('is undefined when nothing is readable', () => {
    expect(cgroupSwapAllowance(files({}))).toBeUndefined();
  });
});

describe('probeMemoryLock and the banner lines', () => {
  const host = files({
    '/proc/self/status': 'Name:\tnode\nCapEff:\t00000000a80425fb\n',
    '/proc/self/limits': LIMITS,
    '/proc/meminfo': 'SwapTotal:       0 kB\n',
  });

  it('probes capability, limit and swap', () => {
    expect(probeMemoryLock(host)).toEqual({ capIpcLock: false, memlockLimit: 8388608, hostSwapBytes: 0, cgroupSwap: undefined });
    expect(probeMemoryLock(files({}))).toEqual({ capIpcLock: undefined, memlockLimit: undefined, hostSwapBytes: undefined, cgroupSwap: undefined });
  });

  it('says whether swap can hold keys', () => {
    const base: MemoryLockProbe = { capIpcLock: true, memlockLimit: 'unlimited', hostSwapBytes: 0, cgroupSwap: undefined };
    expect(swapLine(base)).toMatch(/^swap: none on this host/);
    expect(swapLine({ ...base, hostSwapBytes: 1 << 30, cgroupSwap: 0 })).toMatch(/^swap: the cgroup allows none/);
    expect(swapLine({ ...base, hostSwapBytes: 1 << 30, cgroupSwap: 'max' })).toBe(
      'swap: available (1024 MiB): keys in memory can be swapped out; allow the container no swap (--memory-swap equal to --memory) or use encrypted swap.',
    );
  });

  it('tells a granted CAP_IPC_LOCK from a missing one', () => {
    const probe: MemoryLockProbe = { capIpcLock: true, memlockLimit: 8388608, hostSwapBytes: 0, cgroupSwap: undefined };
    expect(capabilityLine(probe)).toBe('CAP_IPC_LOCK: granted, but unused (nothing can be locked); RLIMIT_MEMLOCK 8 MiB.');
    expect(capabilityLine({ ...probe, capIpcLock: false, memlockLimit: 'unlimited' })).toBe(
      'CAP_IPC_LOCK: not granted (not needed: nothing can be locked); RLIMIT_MEMLOCK unlimited.',
    );
    expect(capabilityLine({ ...probe, capIpcLock: undefined, memlockLimit: undefined })).toBe('CAP_IPC_LOCK: unknown on this platform.');
  });

  it('keeps the first line stable and adds the facts', () => {
    const probe = probeMemoryLock(host);
    expect(memoryLockLines(true, probe)).toEqual([
      'requested, but not available: nothing is pinned in RAM.',
      'Node.js cannot lock process memory: V8 aborts when it releases locked pages, so mlockall is never called.',
      'swap: none on this host, so memory is never written to swap.',
      'CAP_IPC_LOCK: not granted (not needed: nothing can be locked); RLIMIT_MEMLOCK 8 MiB.',
    ]);
    expect(memoryLockLines(false, undefined)).toEqual(['off: Node.js cannot lock process memory: V8 aborts when it releases locked pages, so mlockall is never called.']);
  });

  it('reads this machine without throwing', () => {
    expect(() => memoryLockLines(true, probeMemoryLock())).not.toThrow();
  });
});
