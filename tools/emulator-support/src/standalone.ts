/**
 * The start-up of an emulator's `src/main.ts`: parse the command line, print the usage or start the emulator, print
 * how to reach it, and serve until SIGINT or SIGTERM.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What {@link runStandalone} needs of a running emulator. */
export interface Stoppable {
  /** Closes every listener; resolves when they are closed. */
  stop(): Promise<void>;
}

/** How one emulator is parsed, started and described. */
export interface StandaloneProgram<C extends { readonly help: boolean }, E extends Stoppable> {
  /** Usage text: printed on stdout for `--help`, and on stderr after a command-line error. */
  readonly usage: string;
  /** Parses the arguments (without node and script). @throws Error with a readable message for a bad command line. */
  readonly parse: (argv: readonly string[]) => C;
  /** Starts the emulator. `onError` prints `emulator error: <error>` on stderr (for errors while serving). */
  readonly start: (config: C, onError: (error: unknown) => void) => Promise<E>;
  /** The text printed once the emulator runs (a banner, or one line of JSON), without the final newline. */
  readonly describe: (emulator: E, config: C) => string | Promise<string>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs `program` as the process's main program. A command-line error prints the message and the usage on stderr and
 * exits 2; `help` prints the usage and returns; a failure to start or describe prints
 * `failed to start the emulator: <message>` and exits 1. Otherwise the description is printed on stdout and the first
 * SIGINT or SIGTERM stops the emulator and exits 0. Never rejects.
 * @param argv - the arguments (default: those of the process, without node and script).
 */
export async function runStandalone<C extends { readonly help: boolean }, E extends Stoppable>(
  program: StandaloneProgram<C, E>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  let config: C;
  try {
    config = program.parse(argv);
  } catch (e) {
    process.stderr.write(`${message(e)}\n${program.usage}\n`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(`${program.usage}\n`);
    return;
  }
  try {
    const emulator = await program.start(config, (e) => process.stderr.write(`emulator error: ${String(e)}\n`));
    let stopping = false;
    const shutdown = (): void => {
      if (stopping) return;
      stopping = true;
      void emulator.stop().then(() => process.exit(0));
    };
    // before the description: whoever reads it as "ready" may send the signal at once
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    process.stdout.write(`${await program.describe(emulator, config)}\n`);
  } catch (e) {
    process.stderr.write(`failed to start the emulator: ${message(e)}\n`);
    process.exit(1);
  }
}

/**
 * The default state directory of an emulator: `.emulator` in the package directory, given the URL of its
 * `src/main.ts` (`import.meta.url`).
 */
export function defaultStateDir(mainModuleUrl: string): string {
  return join(dirname(fileURLToPath(mainModuleUrl)), '..', '.emulator');
}
