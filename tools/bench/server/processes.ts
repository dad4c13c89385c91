/** Starting the bench's child processes (TypeScript through tsx, with the `@kes/source` condition) and talking to them. */
import { fork, spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Forks `file` (in this directory) with `args`; `nodeArgs` go to node (e.g. `--cpu-prof`). TypeScript files run
 * through tsx with the `@kes/source` condition; `.mjs` files run as they are, on the compiled packages.
 */
export function forkTs(
  file: string,
  args: string[],
  stdio: StdioOptions = ['ignore', 'inherit', 'inherit', 'ipc'],
  env: NodeJS.ProcessEnv = process.env,
  nodeArgs: string[] = [],
  cpu?: number,
): ChildProcess {
  const loader = file.endsWith('.ts') ? ['--import', TSX, '--conditions=@kes/source'] : [];
  const script = join(import.meta.dirname, file);
  if (cpu === undefined) return fork(script, args, { execArgv: [...nodeArgs, ...loader], stdio, env });
  // pinned to one CPU (taskset execs node, which finds the IPC channel the spawn set up)
  return spawn('taskset', ['-c', String(cpu), process.execPath, ...nodeArgs, ...loader, script, ...args], { stdio, env });
}

/** Whether processes can be pinned to a CPU (`taskset` exists and there are at least two CPUs). */
export function canPin(cpus: number): boolean {
  return cpus >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

/**
 * Compiles the packages the targets import (`tsc -b`, incremental: seconds when nothing changed), so the servers run
 * as in production. @throws Error with the compiler output when the build fails.
 */
export function buildPackages(root: string): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const out = spawnSync(process.execPath, [tsc, '-b', 'packages/server/tsconfig.lib.json', 'packages/keystore-memory/tsconfig.lib.json', 'packages/keystore-fs/tsconfig.lib.json'], { cwd: root, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`building the packages failed:\n${out.stdout}${out.stderr}`);
}

/** Resolves with the next IPC message of `type` from `child` (rejects when it exits first or after `timeoutMs`). */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no '${type}' message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (msg: T) => {
      if (msg.type === 'error') done(new Error(String((msg as unknown as { message: string }).message)));
      else if (msg.type === type) done(undefined, msg);
    };
    const onExit = (code: number | null) => done(new Error(`process exited (${code}) before '${type}'`));
    const done = (err?: Error, msg?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(msg!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Asks a target to stop and waits for its exit (killing it after 5 s). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
