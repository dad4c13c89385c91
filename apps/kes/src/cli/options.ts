/**
 * Options shared by many commands, so that every command spells them the same way.
 */
import { Option, type Command } from 'commander';
import type { ColorMode } from './io.js';

/** Adds `-k/--insecure`, `--ca <PATH>` and the hidden, ignored `-e/--enclave <name>` of older CLIs. */
export function withClientOptions(cmd: Command): Command {
  return cmd
    .option('-k, --insecure', 'skip verification of the server certificate (trusts any server)')
    .option('--ca <PATH>', 'CA certificate file or directory that verifies the server (default: $KES_CA_PATH, else the system CAs)')
    .addOption(new Option('-e, --enclave <name>', 'ignored (enclaves no longer exist)').hideHelp());
}

/** `--color <when>`: auto (default; only on a terminal), never, always. */
export function colorOption(): Option {
  return new Option('--color <when>', 'when to use colors: auto (only on a terminal), never, always')
    .choices(['auto', 'never', 'always'])
    .default('auto');
}

/**
 * `--json`: machine-readable output. `defaultWhenPiped`: JSON is also what the command prints when standard output is
 * not a terminal (said in the help).
 */
export function jsonOption(what = 'the result', defaultWhenPiped = true): Option {
  return new Option('--json', `print ${what} as JSON${defaultWhenPiped ? ' (the default when the output is not a terminal)' : ''}`);
}

/** The parsed values of the shared options. */
export interface ClientOptionValues {
  insecure?: boolean;
  ca?: string;
  json?: boolean;
  color?: ColorMode;
}

/** Formats an "Examples:" help section. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
