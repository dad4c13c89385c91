/**
 * The test process's handle of a load generator process ({@link ./load-worker.ts}): start a workload, take
 * windows of figures (e.g. one per attack), stop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FromGenerator, LoadSpec, ToGenerator, WindowStats } from './load-protocol.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WORKER = join(import.meta.dirname, 'load-worker.ts');

/** A running load generator. */
export class LoadGenerator {
  #nextId = 1;
  readonly #pending = new Map<number, (stats: WindowStats) => void>();

  private constructor(private readonly proc: ChildProcess) {
    proc.on('message', (msg: FromGenerator) => {
      if (msg.type !== 'stats') return;
      this.#pending.get(msg.id)?.(msg.stats);
      this.#pending.delete(msg.id);
    });
  }

  /** Starts a generator process running `spec`; resolves once it runs. @throws Error when it does not start within 30 s. */
  static async start(spec: LoadSpec): Promise<LoadGenerator> {
    const proc = fork(WORKER, [], { execArgv: ['--import', TSX, '--conditions=@kes/source'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const gen = new LoadGenerator(proc);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => (proc.kill('SIGKILL'), reject(new Error('the load generator did not start within 30 s'))), 30_000);
      proc.on('message', (msg: FromGenerator) => {
        if (msg.type === 'started') (clearTimeout(timer), resolve());
      });
      proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the load generator exited (${code})`))));
      gen.#send({ type: 'start', spec });
    });
    return gen;
  }

  #send(msg: ToGenerator): void {
    this.proc.send(msg);
  }

  #ask(type: 'snapshot' | 'stop', timeoutMs: number): Promise<WindowStats> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the load generator did not answer '${type}' within ${timeoutMs} ms`)), timeoutMs);
      this.#pending.set(id, (s) => (clearTimeout(timer), resolve(s)));
      this.#send({ type, id });
    });
  }

  /** The figures since the previous snapshot (or the start); starts a new window. */
  snapshot(): Promise<WindowStats> {
    return this.#ask('snapshot', 10_000);
  }

  /** Stops the workload, waits for the requests in flight (each bounded by the spec's timeout) and ends the process. */
  async stop(timeoutMs = 60_000): Promise<WindowStats> {
    const stats = await this.#ask('stop', timeoutMs);
    await new Promise<void>((resolve) => (this.proc.exitCode !== null ? resolve() : this.proc.once('exit', () => resolve())));
    return stats;
  }

  /** Kills the process (cleanup after a failure). */
  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}
