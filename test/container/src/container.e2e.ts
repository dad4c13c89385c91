/**
 * The container image end to end: tools/container/smoke.sh builds it offline from the Containerfile and runs it
 * with podman the way the upstream tutorial runs KES; each of its steps is one test here. A second run is
 * interrupted with SIGTERM in the middle of the image build and must still leave nothing behind.
 *
 * Skipped, with the reason, when podman or runc is missing or when not running as root (the scripts use a
 * rootful private store). CI installs them first: `apt-get install -y podman runc` (see tools/container/README.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', '..', '..', 'tools', 'container', 'smoke.sh');
/** The smoke run takes about 1–1.5 minutes on an idle 2-core machine; leave room for a busy one. */
const RUN_TIMEOUT_MS = 300_000;

function missingPrerequisite(): string | undefined {
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  if (process.platform !== 'linux') return `container tests need Linux (this is ${process.platform})`;
  if (!has('podman')) return 'podman is not installed (apt-get install -y podman runc)';
  if (!has('runc')) return 'runc is not installed (apt-get install -y runc); crun fails on these hosts';
  if (process.getuid?.() !== 0) return 'the container smoke test runs rootful podman and needs root';
  return undefined;
}
const skipReason = missingPrerequisite();
if (skipReason !== undefined) process.stderr.write(`[container-tests] skipped: ${skipReason}\n`);

interface Step {
  readonly ok: boolean;
  readonly seconds?: number;
  readonly detail: string;
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly steps: Map<string, Step>;
}

/** `SMOKE <step> ok <seconds> [detail]` / `SMOKE <step> FAIL <why>` lines. */
function parseSteps(stdout: string): Map<string, Step> {
  const steps = new Map<string, Step>();
  for (const line of stdout.split('\n')) {
    const m = /^SMOKE (\S+) (ok|FAIL) ?(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === 'ok') {
      const [seconds, ...rest] = m[3]!.split(' ');
      steps.set(m[1]!, { ok: true, seconds: Number(seconds), detail: rest.join(' ') });
    } else steps.set(m[1]!, { ok: false, detail: m[3]! });
  }
  return steps;
}

/** Runs the smoke script in its own process group; `interruptAfter` sends SIGTERM to the group after that step. */
function runSmoke(interruptAfter?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Nx runs tasks with FORCE_COLOR set; the script parses tool output, so it must see plain text.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    const child = spawn('bash', [SCRIPT], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => killGroup('SIGTERM'), RUN_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (interruptAfter !== undefined && !interrupted && stdout.includes(`SMOKE ${interruptAfter} ok`)) {
        interrupted = true;
        // Let the next step get going (podman build), then interrupt the whole group like a CI timeout would.
        setTimeout(() => killGroup('SIGTERM'), 1500);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, steps: parseSteps(stdout) });
    });
  });
}

/** Where the run kept its private podman store (first line of its output). */
function workFolder(run: Run): string {
  const work = run.steps.get('work')?.detail ?? '';
  expect(work).toMatch(/^\/tmp\/kes-container\./);
  return work;
}

function mountsBelow(folder: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mount) => mount.startsWith(folder));
}

describe.skipIf(skipReason !== undefined)('the container image, built offline and run with podman like the upstream tutorial', () => {
  let run: Run;

  beforeAll(async () => {
    run = await runSmoke();
    if (run.code !== 0) process.stderr.write(`smoke.sh failed (exit ${run.code}):\n${run.stdout}\n${run.stderr.slice(-4000)}\n`);
  }, RUN_TIMEOUT_MS + 30_000);

  const expectStep = (name: string): Step => {
    const step = run.steps.get(name);
    expect(step, `step '${name}' did not run; output:\n${run.stdout}`).toBeDefined();
    expect(step!.ok, `step '${name}' failed: ${step!.detail}`).toBe(true);
    return step!;
  };

  it('assembles a Node.js base from this machine (no registry) and builds the image from the Containerfile', () => {
    expect(expectStep('base').detail).toBe(`node ${process.version}`);
    expect(Number(expectStep('build').detail.split(' ')[0])).toBeGreaterThan(10_000_000);
  });

  it('runs as uid 1000, has the OCI labels and a HEALTHCHECK', () => {
    expect(expectStep('labels').detail).toBe('user=1000:1000');
  });

  it('creates the server and client identities with `<image> identity new`', () => {
    expectStep('identity-server');
    expect(expectStep('identity-client').detail).toMatch(/^[0-9a-f]{64}$/);
  });

  it('starts `<image> server --auth --mlock --config=…` with mounted config and certificates on a loopback port', () => {
    expect(expectStep('start').detail).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the host `kes` CLI: create a key, generate a data key and decrypt it, /v1/status', () => {
    expectStep('key-create');
    expectStep('dek');
    expectStep('decrypt');
    expect(expectStep('status').detail).toMatch(/^version=\S+ uptime=\d+$/);
  });

  it('reports healthy through the image HEALTHCHECK and runs the server as uid 1000', () => {
    expectStep('healthcheck');
    expect(expectStep('user').detail).toBe('uid:gid=1000:1000');
  });

  it('says what --mlock does, differently with and without --cap-add IPC_LOCK', () => {
    const withCap = expectStep('mlock').detail;
    const withoutCap = expectStep('mlock-without-cap').detail;
    expect(withCap).toContain('requested, but not available: nothing is pinned in RAM.');
    expect(withCap).toContain('CAP_IPC_LOCK: granted');
    expect(withoutCap).toContain('CAP_IPC_LOCK: not granted');
    expect(withCap).toMatch(/swap: /);
  });

  it('stops on SIGTERM with exit code 0 within seconds', () => {
    const stop = expectStep('stop');
    expect(stop.detail).toMatch(/^exit=0 after \d+ms$/);
    expect(stop.seconds!).toBeLessThan(10);
  });

  it('leaves no container, image, store or mount behind', () => {
    const work = workFolder(run);
    expectStep('cleanup');
    expect(existsSync(work)).toBe(false);
    expect(mountsBelow(work)).toEqual([]);
    expect(run.code).toBe(0);
    expectStep('total');
  });

  it('also cleans up when interrupted with SIGTERM in the middle of the image build', async () => {
    const interrupted = await runSmoke('base');
    const work = workFolder(interrupted);
    expect(interrupted.code).not.toBe(0);
    expect(interrupted.steps.has('key-create')).toBe(false);
    expect(interrupted.steps.get('cleanup')?.ok).toBe(true);
    expect(existsSync(work)).toBe(false);
    expect(mountsBelow(work)).toEqual([]);
  }, RUN_TIMEOUT_MS);
});

if (skipReason !== undefined) {
  describe('the container image', () => {
    it.skip(`is not tested here: ${skipReason}`, () => {});
  });
}
