/**
 * Test helpers that run the CLI: in-process through `main(argv, io)` (fast), or as a real subprocess through
 * bin/kes.js (what users run).
 */
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/program.js';
import type { CliIo, OutputStream } from '../cli/io.js';

/** Output of one run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of a run. */
export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Text on standard input (then closed). */
  stdin?: string;
  /** Aborts the run (like Ctrl-C). */
  signal?: AbortSignal;
  /** Called with every chunk written to stdout (e.g. to abort after the first line). */
  onStdout?: (chunk: string, all: string) => void;
}

/** Collects writes; `isTTY` is left unset (not a terminal) — use `KES_FORCE_TTY=1` for human output. */
class Capture implements OutputStream {
  text = '';
  constructor(private readonly onWrite?: (chunk: string, all: string) => void) {}
  write(chunk: string): boolean {
    this.text += chunk;
    this.onWrite?.(chunk, this.text);
    return true;
  }
}

/** Runs `kes <argv>` in this process. Only the given `env` is visible to the CLI (not `process.env`). */
export async function runCli(argv: string[], opts: RunOptions = {}): Promise<CliResult> {
  const stdout = new Capture(opts.onStdout);
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    env: { ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    signal: opts.signal ?? new AbortController().signal,
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Path of the `kes` launcher. */
export const KES_BIN = fileURLToPath(new URL('../../bin/kes.js', import.meta.url));

/** A started subprocess. */
export interface CliProcess {
  pid: number;
  /** Resolves when the process exits. */
  done: Promise<CliResult>;
  /** Everything written to stdout so far. */
  stdout(): string;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `node bin/kes.js <argv>` with `env` added to a minimal environment (PATH, HOME, and `KES_CLI_FROM` when the
 * test run sets it, to test the source or the dist launcher explicitly). Standard input is `opts.stdin` (or empty).
 */
export function spawnCli(argv: string[], opts: RunOptions = {}): CliProcess {
  const child = spawn(process.execPath, [KES_BIN, ...argv], {
    cwd: opts.cwd ?? process.cwd(),
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], KES_CLI_FROM: process.env['KES_CLI_FROM'], ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    opts.onStdout?.(c, out);
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  child.stdin.end(opts.stdin ?? '');
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 128), stdout: out, stderr: err }));
  });
  return { pid: child.pid ?? -1, done, stdout: () => out, kill: (s = 'SIGTERM') => child.kill(s) };
}

/** Runs the subprocess to completion. */
export function execCli(argv: string[], opts: RunOptions = {}): Promise<CliResult> {
  return spawnCli(argv, opts).done;
}
