/**
 * A real `kes-server` process (apps/kes-server/src/main.ts under tsx with the `@kes/source` condition, as
 * `nx serve` runs it) with {@link ./server-probe.ts} preloaded: its port from the banner, its output, its resource
 * figures (RSS and descriptors from /proc, heap, event-loop delay and active resources from the probe) and signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProbeReply, ProbeRequest } from './server-probe.js';

/** The workspace root (this file is test/reliability/src/support/kes-process.ts). */
export const WORKSPACE_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const MAIN = join(WORKSPACE_ROOT, 'apps', 'kes-server', 'src', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PROBE = pathToFileURL(join(import.meta.dirname, 'server-probe.ts')).href;
/** How much of stdout/stderr is kept (the tail), so that an hour of logs does not fill the test process. */
const OUTPUT_CAP = 256 * 1024;

/** Options of {@link spawnKes}. */
export interface SpawnKesOptions {
  /** `--addr`; default `127.0.0.1:0` (a free port). */
  readonly addr?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the banner. Default 60 s. */
  readonly startTimeoutMs?: number;
}

/** Resource figures of the process at one moment. */
export interface ProcessFigures extends ProbeReply {
  /** Open file descriptors (`/proc/<pid>/fd`). */
  readonly fds: number;
}

/** A running kes-server process. */
export class KesProcess {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve(reply: ProbeReply): void; reject(err: Error): void }>();
  readonly #out = { stdout: '', stderr: '' };
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #closed: Promise<void>;
  /** Milliseconds from spawn to the banner. */
  startMs = 0;
  /** CPU time (user + system, ms, from /proc) the process had used when its banner appeared. */
  cpuAtBannerMs = 0;
  port = 0;

  private constructor(readonly proc: ChildProcess) {
    const keep = (k: 'stdout' | 'stderr') => (d: string) => {
      const text = this.#out[k] + d;
      this.#out[k] = text.length > OUTPUT_CAP ? text.slice(text.length - OUTPUT_CAP) : text;
    };
    proc.stdout!.setEncoding('utf8').on('data', keep('stdout'));
    proc.stderr!.setEncoding('utf8').on('data', keep('stderr'));
    proc.on('message', (msg: unknown) => {
      const reply = msg as ProbeReply;
      if (reply?.type !== 'kes-probe') return;
      this.#pending.get(reply.id)?.resolve(reply);
      this.#pending.delete(reply.id);
    });
    // A failed `send` or `kill` is reported through the callback or the exit; an 'error' event without a listener
    // would be an uncaught exception in the test process (e.g. ERR_IPC_CHANNEL_CLOSED after the server died).
    proc.on('error', () => undefined);
    this.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    // 'close' comes after 'exit' once stdout and stderr are drained: the error then carries the whole output (a
    // native crash prints its stack trace last).
    this.#closed = new Promise((resolve) =>
      proc.once('close', (code, signal) => {
        const why = this.#exitedError(`kes-server exited (${code ?? signal}) before the probe answered`);
        for (const pending of this.#pending.values()) pending.reject(why);
        this.#pending.clear();
        resolve();
      }),
    );
  }

  /** An Error naming `why`, with the tail of the process output (what the server said before it died or hung). */
  #exitedError(why: string): Error {
    return new Error(`${why}\n--- stdout (tail)\n${this.#out.stdout.slice(-8_000)}\n--- stderr (tail)\n${this.#out.stderr.slice(-8_000)}`);
  }

  /**
   * Starts `kes-server --config <configFile>` and waits for its banner.
   * @throws Error with the process output when it exits first or no banner appears in time.
   */
  static async start(configFile: string, opts: SpawnKesOptions = {}): Promise<KesProcess> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KES_') && !k.startsWith('VITEST')) env[k] = v;
    const t0 = performance.now();
    const proc = spawn(
      process.execPath,
      ['--expose-gc', '--import', TSX, '--import', PROBE, '--conditions=@kes/source', MAIN, '--config', configFile, '--addr', opts.addr ?? '127.0.0.1:0'],
      // One server process unless a scenario asks for the cluster (`KES_WORKERS`): the probe measures the process it is in.
      { cwd: opts.cwd ?? WORKSPACE_ROOT, env: { ...env, KES_WORKERS: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    const kes = new KesProcess(proc);
    kes.port = await new Promise<number>((resolve, reject) => {
      const fail = (why: string) => reject(new Error(`${why}\n--- stdout\n${kes.stdout()}\n--- stderr\n${kes.stderr()}`));
      const timer = setTimeout(() => (proc.kill('SIGKILL'), fail('kes-server printed no banner in time')), opts.startTimeoutMs ?? 60_000);
      const check = () => {
        const m = /^API\s+· https:\/\/[^\s]+:(\d+)$/m.exec(kes.stdout());
        if (m && kes.stdout().includes('=> Server is up and running')) {
          kes.cpuAtBannerMs = kes.cpuMs();
          clearTimeout(timer);
          proc.stdout!.off('data', check);
          resolve(Number(m[1]));
        }
      };
      proc.stdout!.on('data', check);
      void kes.exited.then(({ code, signal }) => (clearTimeout(timer), fail(`kes-server exited (${code ?? signal}) before its banner`)));
    });
    kes.startMs = performance.now() - t0;
    return kes;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  stdout(): string {
    return this.#out.stdout;
  }

  stderr(): string {
    return this.#out.stderr;
  }

  /** Whether the process is still running. */
  isRunning(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Open descriptors of the process. */
  fds(): number {
    return readdirSync(`/proc/${this.pid}/fd`).length;
  }

  /**
   * TCP connections of the process in CLOSE-WAIT: the client closed, the server has not — a connection the server
   * forgot (from /proc: the process's socket inodes matched against /proc/net/tcp{,6} state 08). 0 when it is gone.
   */
  closeWaitSockets(): number {
    try {
      const inodes = new Set<string>();
      for (const fd of readdirSync(`/proc/${this.pid}/fd`)) {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${this.pid}/fd/${fd}`));
          if (m) inodes.add(m[1]!);
        } catch {
          // closed meanwhile
        }
      }
      let count = 0;
      for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
        for (const line of readFileSync(table, 'latin1').split('\n').slice(1)) {
          const cols = line.trim().split(/\s+/);
          if (cols[3] === '08' && inodes.has(cols[9] ?? '')) count++;
        }
      }
      return count;
    } catch {
      return 0;
    }
  }

  /** CPU time (user + system) of the process so far, in ms (from /proc, 10 ms resolution); 0 when it is gone. */
  cpuMs(): number {
    try {
      const fields = readFileSync(`/proc/${this.pid}/stat`, 'latin1').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime in USER_HZ (100/s)
    } catch {
      return 0;
    }
  }

  /** Resident set size from /proc (bytes). */
  rss(): number {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${this.pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : 0;
  }

  /**
   * The probe's figures plus the descriptor count.
   * @throws Error (rejects; never throws synchronously or asynchronously elsewhere) with the tail of the process
   *   output when the process has exited, its IPC channel is closed, or it does not answer within 10 s.
   */
  async figures(opts: { gc?: boolean; resetDelay?: boolean } = {}): Promise<ProcessFigures> {
    if (!this.isRunning() || !this.proc.connected) {
      await Promise.race([this.#closed, new Promise((r) => setTimeout(r, 2_000))]); // the rest of its output
      throw this.#exitedError(`kes-server is not running (${this.proc.exitCode ?? this.proc.signalCode ?? 'IPC channel closed'})`);
    }
    const id = this.#nextId++;
    const request: ProbeRequest = { type: 'kes-probe', id, ...opts };
    const reply = await new Promise<ProbeReply>((resolve, reject) => {
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(err);
      };
      const timer = setTimeout(() => fail(this.#exitedError('the server probe did not answer within 10 s')), 10_000);
      this.#pending.set(id, { resolve: (r) => (clearTimeout(timer), resolve(r)), reject: fail });
      try {
        this.proc.send(request, (err) => {
          if (err) fail(this.#exitedError(`could not ask the server probe: ${err.message}`));
        });
      } catch (err) {
        fail(this.#exitedError(`could not ask the server probe: ${(err as Error).message}`));
      }
    });
    let fds: number;
    try {
      fds = this.fds();
    } catch {
      throw this.#exitedError('kes-server exited while it was being measured');
    }
    return { ...reply, fds };
  }

  /**
   * Resolves when `pattern` matches stderr+stdout written after the call; rejects after `timeoutMs`.
   */
  waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const fromErr = this.#out.stderr.length;
    const fromOut = this.#out.stdout.length;
    const since = () => `${this.#out.stderr.slice(Math.min(fromErr, this.#out.stderr.length))}\n${this.#out.stdout.slice(Math.min(fromOut, this.#out.stdout.length))}`;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.proc.stdout!.off('data', check);
        this.proc.stderr!.off('data', check);
      };
      const timer = setTimeout(() => (done(), reject(new Error(`timed out waiting for ${pattern}\n${since().slice(-4000)}`))), timeoutMs);
      const check = () => {
        const m = pattern.exec(since());
        if (m) (done(), resolve(m));
      };
      this.proc.stdout!.on('data', check);
      this.proc.stderr!.on('data', check);
      check();
    });
  }

  /** Sends `signal` (if the process still runs). */
  signal(signal: NodeJS.Signals): void {
    if (this.isRunning()) this.proc.kill(signal);
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.signal(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}
