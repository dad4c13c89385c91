/**
 * What every command handler gets: the I/O of the run plus helpers for tty-aware output.
 */
import { colorEnabled, isTerminal, type CliIo, type ColorMode } from './io.js';
import { Style } from './style.js';

/** The context of one CLI run. */
export class CliContext {
  /** Exit status of a command that finished without throwing (e.g. `migrate` with failed keys sets 1). */
  exitCode = 0;

  /**
   * @param io - the I/O of the run.
   * @param argv - the arguments of the run (without node and script paths); `kes server` forwards its part as is.
   */
  constructor(
    readonly io: CliIo,
    readonly argv: readonly string[] = [],
  ) {}

  /** True when standard output is a terminal (human output) — see `isTerminal` for `KES_FORCE_TTY`. */
  get isTTY(): boolean {
    return isTerminal(this.io, this.io.stdout);
  }

  /** True when a command with a `--json` option prints JSON: `--json` was given, or standard output is no terminal. */
  printsJson(opts: { readonly json?: boolean }): boolean {
    return opts.json === true || !this.isTTY;
  }

  /** Writes text to standard output as is. */
  out(text: string): void {
    this.io.stdout.write(text);
  }

  /** Writes text to standard error as is. */
  err(text: string): void {
    this.io.stderr.write(text);
  }

  /** Styles for standard output under `--color <mode>`. */
  style(mode: ColorMode = 'auto'): Style {
    return new Style(colorEnabled(this.io, mode));
  }

  /** Prints `value` as one JSON line; indented with two spaces when `pretty`. */
  json(value: unknown, pretty = false): void {
    this.out(JSON.stringify(value, null, pretty ? 2 : undefined) + '\n');
  }

  /** Prints a warning line on standard error. */
  warn(message: string): void {
    const style = new Style(colorEnabled(this.io, 'auto', this.io.stderr));
    this.err(`${style.yellow('Warning:')} ${message}\n`);
  }
}
