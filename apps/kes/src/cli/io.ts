/**
 * The world a CLI run talks to: output streams, input, environment, working directory and an abort signal. `main`
 * takes it as a parameter so that tests can run commands in-process; {@link processIo} is the real process.
 */
import { availableParallelism } from 'node:os';

/** A text sink (a subset of `NodeJS.WriteStream`): enough for plain output, cursor movement and progress bars. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal. */
  isTTY?: boolean;
  /** Terminal width in columns, if known. */
  columns?: number;
}

/** An input stream (a subset of `NodeJS.ReadStream`), used for password prompts. */
export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Everything a command may touch besides the network and the file system. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  /** Environment variables (the §7.1 client settings, `NO_COLOR`, `KES_FORCE_TTY`, …). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative file names resolve against. */
  cwd: string;
  /**
   * Fires when the user interrupts (Ctrl-C / SIGTERM): long-running commands stop and exit cleanly. The reason is the
   * signal's name (`'SIGINT'`, `'SIGTERM'`) for the real process.
   */
  signal: AbortSignal;
  /** Subscribes to reload requests (SIGHUP for the real process; used by `kes server`); returns the unsubscribe. */
  onReload?: (listener: () => void) => () => void;
  /**
   * Server processes `kes server` runs when neither `--workers` nor `KES_WORKERS` says: one per CPU for the real
   * process (its workers re-run the `kes` program); unset (one process) for in-process runs such as tests.
   */
  serverWorkers?: number;
}

/**
 * The real process: `process.stdout/stderr/stdin/env/cwd()`, and a signal that fires on SIGINT or SIGTERM. A second
 * interrupt exits immediately with status 130.
 */
export function processIo(): CliIo {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(sig === 'SIGINT' ? 130 : 143);
    controller.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    onReload: (listener) => {
      process.on('SIGHUP', listener);
      return () => process.off('SIGHUP', listener);
    },
    serverWorkers: availableParallelism(),
  };
}

/**
 * Whether `stream` counts as a terminal. `KES_FORCE_TTY=1` (or `true`) makes every stream count as one and
 * `KES_FORCE_TTY=0` (or `false`) none — for scripts and tests that want the human (or the machine) output regardless.
 */
export function isTerminal(io: CliIo, stream: OutputStream | InputStream): boolean {
  const forced = io.env['KES_FORCE_TTY']?.trim().toLowerCase();
  if (forced === '1' || forced === 'true') return true;
  if (forced === '0' || forced === 'false') return false;
  return stream.isTTY === true;
}

/** Values of `--color`. */
export type ColorMode = 'auto' | 'never' | 'always';

/**
 * Whether to colorize output on `stream`: `always` → yes, `never` → no, `auto` → only on a terminal and when neither
 * `NO_COLOR` is set nor `TERM=dumb`.
 */
export function colorEnabled(io: CliIo, mode: ColorMode, stream: OutputStream = io.stdout): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if ((io.env['NO_COLOR'] ?? '') !== '' || io.env['TERM'] === 'dumb') return false;
  return isTerminal(io, stream);
}
