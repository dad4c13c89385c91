/**
 * The `kes` command line: builds the commander program and runs it against a {@link CliIo}.
 */
import { Command, CommanderError } from 'commander';
import { identityCommand } from '../commands/identity.js';
import { keyCommand } from '../commands/key.js';
import { logCommand } from '../commands/log.js';
import { lsCommand } from '../commands/ls.js';
import { metricCommand } from '../commands/metric.js';
import { migrateCommand } from '../commands/migrate.js';
import { policyCommand } from '../commands/policy.js';
import { serverCommand } from '../commands/server.js';
import { statusCommand } from '../commands/status.js';
import { CliContext } from './context.js';
import { describeError } from './errors.js';
import type { CliIo } from './io.js';
import { colorEnabled } from './io.js';
import { Style } from './style.js';
import { versionText } from './version.js';

const ENVIRONMENT = `
Environment (client commands; the first variable that is set wins):
  MINIO_KES_SERVER, KES_SERVER, MINIO_KMS_KES_ENDPOINT   server endpoint(s), comma-separated (default 127.0.0.1:7373)
  MINIO_KES_API_KEY, KES_API_KEY, MINIO_KMS_KES_API_KEY  API key (kes:v1:…), or instead a certificate and key:
  MINIO_KES_CERT_FILE, KES_CLIENT_CERT, MINIO_KES_CLIENT_CERT   client certificate file (PEM)
  MINIO_KES_KEY_FILE, KES_CLIENT_KEY, MINIO_KES_CLIENT_KEY      client private key file (PEM)
  KES_CLIENT_KEY_PASSWORD, MINIO_KMS_KES_KEY_PASSWORD    password of an encrypted private key (else asked for)
  KES_CA_PATH, MINIO_KMS_KES_CAPATH                      CA file or directory that verifies the server (or use --ca / -k)
  NO_COLOR                                               disables colors; KES_FORCE_TTY=1|0 forces terminal or
                                                         machine (JSON) output

Run 'kes <command> --help' for the options of a command.
`;

/** Builds the program for one run. Every command writes through `ctx`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('kes')
    .description('Command line for KES: manage identities, keys and policies, watch logs and metrics, migrate keys, run a server')
    .version(versionText(), '-v, --version', 'print version information')
    .helpOption('-h, --help', 'print help for a command')
    .addHelpText('after', ENVIRONMENT)
    .showSuggestionAfterError(true)
    .enablePositionalOptions()
    .configureHelp({ sortSubcommands: false });
  program.addCommand(serverCommand(ctx));
  program.addCommand(identityCommand(ctx));
  program.addCommand(keyCommand(ctx));
  program.addCommand(policyCommand(ctx));
  program.addCommand(lsCommand(ctx));
  program.addCommand(logCommand(ctx));
  program.addCommand(statusCommand(ctx));
  program.addCommand(metricCommand(ctx));
  program.addCommand(migrateCommand(ctx));
  configureTree(program, ctx);
  return program;
}

/** Sends commander's output through `ctx`, and renders its errors as `Error: … See 'kes … --help'`. */
function configureTree(cmd: Command, ctx: CliContext): void {
  const path: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) path.unshift(c.name());
  const where = path.join(' ');
  const errStyle = new Style(colorEnabled(ctx.io, 'auto', ctx.io.stderr));
  cmd.exitOverride().configureOutput({
    writeOut: (s) => ctx.out(s),
    writeErr: (s) => ctx.err(s),
    outputError: (s, write) => {
      const text = s.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ').trim();
      write(`${errStyle.red('Error:')} ${text}${/[.?]$/.test(text) ? '' : '.'} See '${where} --help'\n`);
    },
  });
  for (const sub of cmd.commands) configureTree(sub, ctx);
}

/**
 * Runs `kes` with `argv` (without the node and script paths).
 * @returns the exit status: 0 success, 1 failure, 2 usage error, 130 interrupted. Never throws.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io, argv);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      return 2; // usage errors, and a command group called without a command (its help went to stderr)
    }
    if (io.signal.aborted && ctx.exitCode === 0) return 130;
    const d = describeError(err);
    const style = new Style(colorEnabled(io, 'auto', io.stderr));
    io.stderr.write(`${style.red('Error:')} ${d.message}\n${d.details.map((l) => `  ${l}\n`).join('')}`);
    return d.exitCode;
  }
}
