/**
 * Starting an emulator's `src/main.ts` in a child process the way `nx serve` does, for the emulators' own tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';

/** What the process printed by the time it exited. */
export interface StandaloneExit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A standalone emulator process started by {@link spawnStandalone}. */
export interface StandaloneProcess {
  readonly child: ChildProcess;
  /** Resolves with the first line printed on stdout; rejects (with its stderr) if the process exits before that. */
  readonly firstLine: Promise<string>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<StandaloneExit>;
  /** Sends SIGTERM (no-op once exited) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `node --import tsx --conditions=@kes/source <mainFile> ...args` with the package directory (the parent of
 * `mainFile`'s directory) as working directory, and returns at once.
 */
export function spawnStandalone(mainFile: string, args: readonly string[]): StandaloneProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kes/source', mainFile, ...args], {
    cwd: join(dirname(mainFile), '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<StandaloneExit>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const nl = stdout.indexOf('\n');
      if (nl !== -1) resolve(stdout.slice(0, nl));
    });
    void exited.then((e) => reject(new Error(`emulator exited with ${e.code} before printing a line: ${e.stderr}`)));
  });
  firstLine.catch(() => undefined); // a caller that only awaits `exited` must not see an unhandled rejection
  return {
    child,
    firstLine,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return (await exited).code;
    },
  };
}
