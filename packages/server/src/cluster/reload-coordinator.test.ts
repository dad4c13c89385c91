import { describe, expect, it } from 'vitest';
import type { ReloadKind } from '../reload/reload-queue.js';
import type { ToWorker } from './messages.js';
import { ReloadCoordinator, type ReloadCheck, type ReloadPeer } from './reload-coordinator.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** How a fake worker answers each step: ok (with lines), an error message, or never. */
type Answer = { lines?: string[] } | { error: string } | 'silent' | 'exit';

/** A fake worker: records what it got and answers as told (asynchronously, like IPC). */
class FakeWorker implements ReloadPeer {
  readonly got: ToWorker[] = [];
  restarted = false;
  coordinator!: ReloadCoordinator;
  constructor(
    readonly label: string,
    public prepare: Answer = {},
    public apply: Answer = {},
  ) {}
  send(msg: ToWorker): boolean {
    this.got.push(msg);
    const answer = msg.kes === 'reload' ? this.prepare : msg.kes === 'reload-apply' ? this.apply : undefined;
    if (answer === undefined || answer === 'silent') return true;
    const id = (msg as { id: number }).id;
    const phase = msg.kes === 'reload' ? 'prepare' : 'apply';
    setTimeout(() => {
      if (answer === 'exit') this.coordinator.gone(this);
      else this.coordinator.answer(this, { kes: 'reload-ack', id, phase, ...answer });
    }, 1);
    return true;
  }
  restart(): void {
    this.restarted = true;
  }
  kinds(): string[] {
    return this.got.map((m) => m.kes);
  }
}

function setup(workers: FakeWorker[], check?: (kind: ReloadKind, note: (line: string) => void) => Promise<Omit<ReloadCheck, 'commit'>>, timeoutMs = 2000) {
  const lines: string[] = [];
  const commits: ReloadKind[] = [];
  const checks: ReloadKind[] = [];
  const coordinator = new ReloadCoordinator({
    file: 'kes.yml',
    peers: () => workers,
    log: (line) => lines.push(line),
    timeoutMs,
    check: async (kind, note) => {
      checks.push(kind);
      const result = check === undefined ? { text: 'policy: {}\n' } : await check(kind, note);
      return { ...result, commit: () => commits.push(kind) };
    },
  });
  for (const w of workers) w.coordinator = coordinator;
  return { coordinator, lines, commits, checks, text: () => lines.join('') };
}

describe('ReloadCoordinator', () => {
  it('prepares on every worker, then applies on every worker, then logs one "Configuration reloaded"', async () => {
    const workers = [new FakeWorker('101', { lines: ['Warning: kes.yml:9: x: unknown field\n'] }), new FakeWorker('102', { lines: ['Warning: kes.yml:9: x: unknown field\n'] })];
    const run = setup(workers, async (_, note) => {
      note('Warning: kes.yml:9: x: unknown field\n');
      return { text: 'T' };
    });
    expect(await run.coordinator.request('config')).toBe(true);
    expect(run.text()).toBe("Reloading the configuration from 'kes.yml'\nWarning: kes.yml:9: x: unknown field\nConfiguration reloaded\n");
    for (const w of workers) {
      expect(w.kinds()).toEqual(['reload', 'reload-apply']);
      expect(w.got[0]).toMatchObject({ kes: 'reload', kind: 'config', text: 'T' });
    }
    expect(run.commits).toEqual(['config']);
  });

  it('a config the primary rejects reaches no worker: one error line, worded as one process words it', async () => {
    const workers = [new FakeWorker('101'), new FakeWorker('102')];
    const run = setup(workers, async () => {
      throw new Error('Error: 1 problem in kes.yml:\n  kes.yml:3: cache.expiry.any: invalid');
    });
    expect(await run.coordinator.request('config')).toBe(false);
    expect(run.text()).toBe(
      "Reloading the configuration from 'kes.yml'\nError: reload failed, the running configuration stays in effect:\nError: 1 problem in kes.yml:\n  kes.yml:3: cache.expiry.any: invalid\n",
    );
    expect(workers.flatMap((w) => w.got)).toEqual([]);
    expect(run.commits).toEqual([]);
  });

  it('a worker that cannot prepare fails the reload everywhere: one error line, the others drop what they prepared', async () => {
    const workers = [new FakeWorker('101'), new FakeWorker('102', { error: 'invalid TLS config: key values mismatch' }), new FakeWorker('103')];
    const run = setup(workers);
    expect(await run.coordinator.request('config')).toBe(false);
    expect(run.text()).toBe("Reloading the configuration from 'kes.yml'\nError: reload failed, the running configuration stays in effect:\ninvalid TLS config: key values mismatch\n");
    for (const w of workers) expect(w.kinds()).toEqual(['reload', 'reload-drop']);
    expect(run.commits).toEqual([]);
  });

  it('names the workers when their problems differ', async () => {
    const run = setup([new FakeWorker('101', { error: 'vault: connection refused' }), new FakeWorker('102', { error: 'vault: timeout' })]);
    expect(await run.coordinator.request('config')).toBe(false);
    expect(run.lines.at(-1)).toBe('Error: reload failed, the running configuration stays in effect:\nworker 101: vault: connection refused\nworker 102: vault: timeout\n');
  });

  it('a worker that does not answer fails the reload after the timeout, with a message naming it', async () => {
    const silent = new FakeWorker('102', 'silent');
    const run = setup([new FakeWorker('101'), silent], undefined, 50);
    const t0 = performance.now();
    expect(await run.coordinator.request('config')).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(run.lines.at(-1)).toBe('Error: reload failed, the running configuration stays in effect:\nworker 102: did not answer within 0.1 s\n');
    expect(silent.kinds()).toEqual(['reload', 'reload-drop']);
  });

  it('a worker that exits during a reload does not hold it up: the others apply it', async () => {
    const dying = new FakeWorker('102', 'exit');
    const run = setup([new FakeWorker('101'), dying, new FakeWorker('103')]);
    expect(await run.coordinator.request('config')).toBe(true);
    expect(run.lines.at(-1)).toBe('Configuration reloaded\n');
    expect(dying.kinds()).toEqual(['reload']); // never asked to apply
    const applyExit = new FakeWorker('104', {}, 'exit');
    const again = setup([new FakeWorker('101'), applyExit]);
    expect(await again.coordinator.request('config')).toBe(true);
    expect(again.commits).toEqual(['config']);
  });

  it('a worker that fails to apply is restarted (with the new config in force) and the reload is reported as failed', async () => {
    const broken = new FakeWorker('102', {}, { error: 'server is closed' });
    const run = setup([new FakeWorker('101'), broken]);
    expect(await run.coordinator.request('config')).toBe(false);
    expect(broken.restarted).toBe(true);
    expect(run.commits).toEqual(['config']);
    expect(run.lines.at(-1)).toBe('Error: a worker could not apply the new configuration and is restarted with it:\nworker 102: server is closed\n');
    expect(run.text()).not.toContain('Configuration reloaded');
  });

  it('TLS re-reads: silent when they work, the TLS error line when they do not', async () => {
    const workers = [new FakeWorker('101'), new FakeWorker('102')];
    const ok = setup(workers, async () => ({}));
    expect(await ok.coordinator.request('tls')).toBe(true);
    expect(ok.lines).toEqual([]);
    expect(workers[0]!.got[0]).toEqual({ kes: 'reload', id: 0, kind: 'tls' });
    const bad = setup(workers, async () => {
      throw new Error("invalid TLS certificate: 'server.crt' is not a PEM certificate");
    });
    expect(await bad.coordinator.request('tls')).toBe(false);
    expect(bad.text()).toBe("Error: re-reading the TLS files failed, the current certificate stays in use:\ninvalid TLS certificate: 'server.crt' is not a PEM certificate\n");
  });

  it('200 SIGHUPs during a reload make one more reload, not 200', async () => {
    const workers = [new FakeWorker('101'), new FakeWorker('102')];
    const run = setup(workers);
    const answers = [run.coordinator.request('config')];
    await tick();
    for (let i = 0; i < 200; i++) answers.push(run.coordinator.request('config'));
    expect(await Promise.all(answers)).toEqual(Array(201).fill(true));
    expect(run.checks).toEqual(['config', 'config']);
    expect(run.lines.filter((l) => l === 'Configuration reloaded\n')).toHaveLength(2);
    expect(workers[0]!.kinds()).toEqual(['reload', 'reload-apply', 'reload', 'reload-apply']);
  });

  it('ignores answers to other steps, and stops quietly when closed', async () => {
    const silent = new FakeWorker('101', 'silent');
    const run = setup([silent]);
    const pending = run.coordinator.request('config');
    await new Promise((r) => setTimeout(r, 10));
    run.coordinator.answer(silent, { kes: 'reload-ack', id: 99, phase: 'prepare' });
    run.coordinator.answer(silent, { kes: 'reload-ack', id: 0, phase: 'apply' });
    await run.coordinator.close();
    expect(await pending).toBe(false);
    expect(run.text()).toBe("Reloading the configuration from 'kes.yml'\n");
    expect(await run.coordinator.request('config')).toBe(false);
    expect(run.checks).toEqual(['config']);
  });
});
