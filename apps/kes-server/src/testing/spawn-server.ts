/**
 * Test support (not part of the app build): runs `src/main.ts` as a real process the way `nx serve` does (tsx with
 * the `@kes/source` condition) and reads its banner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const APP_ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(APP_ROOT, 'src', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A started server process. */
export interface SpawnedServer {
  readonly proc: ChildProcess;
  /** The port the banner printed. */
  readonly port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when `pattern` appears in stderr (or stdout) after the call; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Options of {@link spawnServer} and {@link runToExit}. */
export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

function start(args: readonly string[], opts: SpawnOptions) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KES_')) env[k] = v;
  const proc = spawn(process.execPath, ['--import', TSX, '--conditions=@kes/source', MAIN, ...args], {
    cwd: opts.cwd ?? APP_ROOT,
    env: { ...env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, out, exited };
}

/** Runs the app until it exits (for start-up failures). */
export async function runToExit(args: readonly string[], opts: SpawnOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { out, exited, proc } = start(args, opts);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 45_000);
  const code = await exited;
  clearTimeout(timer);
  return { code, ...out };
}

/**
 * Starts the app and waits for its banner.
 * @throws Error with the process output when it exits first or the banner does not appear within 45 s.
 */
export async function spawnServer(args: readonly string[], opts: SpawnOptions = {}): Promise<SpawnedServer> {
  const { proc, out, exited } = start(args, opts);
  const port = await new Promise<number>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`${why}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`));
    const timer = setTimeout(() => (proc.kill('SIGKILL'), fail('no banner within 45 s')), 45_000);
    const check = () => {
      const m = /^API\s+· https:\/\/[^\s]+:(\d+)$/m.exec(out.stdout);
      if (m && out.stdout.includes('=> Server is up and running')) (clearTimeout(timer), resolve(Number(m[1])));
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => (clearTimeout(timer), fail(`the server exited with ${code}`)));
  });
  return {
    proc,
    port,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    waitFor: (pattern, timeoutMs = 30_000) => {
      const fromErr = out.stderr.length;
      const fromOut = out.stdout.length;
      const since = () => `${out.stderr.slice(fromErr)}\n${out.stdout.slice(fromOut)}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}\n${since()}`)), timeoutMs);
        const check = () => {
          const m = pattern.exec(since());
          if (m) (clearTimeout(timer), proc.stdout!.off('data', check), proc.stderr!.off('data', check), resolve(m));
        };
        proc.stdout!.on('data', check);
        proc.stderr!.on('data', check);
      });
    },
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}
