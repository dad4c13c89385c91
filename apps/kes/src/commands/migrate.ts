/**
 * `kes migrate --from A.yml --to B.yml [pattern]`: copy stored keys between the keystores of two server configs,
 * without a server (spec §7.2). Configs are read with the server's own loader.
 */
import type { Keystore } from '@kes/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext } from '../cli/context.js';
import { CliError, failed, usageError } from '../cli/errors.js';
import { colorOption, examples, jsonOption, type ClientOptionValues } from '../cli/options.js';
import { migrateKeys, type ExistingPolicy, type Outcome } from '../migrate/engine.js';
import { BadPatternError, globMatcher } from '../migrate/glob.js';
import { listAllNames } from '../migrate/list-all.js';
import { barProgress, lineProgress, type Progress } from '../migrate/progress.js';
import type { OpenedKeystore } from '../migrate/open-keystore.js';

interface MigrateFlags extends ClientOptionValues {
  from?: string;
  to?: string;
  force?: boolean;
  merge?: boolean;
  concurrency: number;
  server?: string;
  enclave?: string;
  apiKey?: string;
}

function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('use a whole number from 1 to 256');
  return n;
}

const LABELS: Array<[Outcome, string]> = [
  ['copied', 'copied'],
  ['identical', 'already at the target'],
  ['kept', 'kept at the target (--merge)'],
  ['overwritten', 'overwritten (--force)'],
  ['conflict', 'conflicts'],
  ['failed', 'failed'],
];

/** The `kes migrate` command. */
export function migrateCommand(ctx: CliContext): Command {
  return new Command('migrate')
    .description("Copy keys from one keystore to another, using the keystores of two server config files (no server needed)")
    .argument('[pattern]', "which keys: a glob like 'my-key-*' or 'app-[0-9]?'", '*')
    .option('--from <PATH>', 'config file of the source (its keystore: block is used)')
    .option('--to <PATH>', 'config file of the target')
    .addOption(new Option('-f, --force', 'overwrite keys that exist at the target with a different value').conflicts('merge'))
    .option('--merge', 'keep keys that exist at the target with a different value (copy only missing ones)')
    .option('--concurrency <N>', 'keys copied at the same time', parseConcurrency, 8)
    .addOption(jsonOption('only a summary (no progress output)', false))
    .addOption(colorOption())
    .addOption(new Option('-s, --server <HOST:PORT>').hideHelp())
    .addOption(new Option('-e, --enclave <NAME>').hideHelp())
    .addOption(new Option('-a, --api-key <KEY>').hideHelp())
    .addHelpText(
      'after',
      '\nKeys that already exist at the target with the same value are skipped, so an interrupted migration can\n' +
        'simply be run again. A key that exists with a different value is reported and left alone unless --force\n' +
        '(overwrite) or --merge (keep, silently) is given. Every copied key is read back and compared.\n' +
        'Exit status: 0 when every key is at the target, 1 if any key failed or conflicted, 130 when interrupted.\n' +
        examples('kes migrate --from vault-config.yml --to fs-config.yml', "kes migrate --from a.yml --to b.yml 'minio-*' --merge"),
    )
    .action(async (pattern: string, flags: MigrateFlags) => {
      const command = 'kes migrate';
      if (flags.server !== undefined || flags.enclave !== undefined || flags.apiKey !== undefined) {
        throw new CliError('migrating into a MinIO KMS server (-s/-e/-a) is not supported: put the target keystore into a config file and use --to');
      }
      if (flags.from === undefined) throw usageError("no migration source specified: use '--from' to name a config file", command);
      if (flags.to === undefined) throw usageError("no migration target specified: use '--to' to name a config file", command);
      let matches: (name: string) => boolean;
      try {
        matches = globMatcher(pattern);
      } catch (err) {
        if (err instanceof BadPatternError) throw usageError(err.message, command);
        throw err;
      }
      const existing: ExistingPolicy = flags.force === true ? 'force' : flags.merge === true ? 'merge' : 'strict';
      const { openKeystore } = await import('../migrate/open-keystore.js'); // the config loader, only when needed
      const opened: OpenedKeystore[] = [];
      try {
        const source = await openKeystore(ctx, flags.from, '--from');
        opened.push(source);
        const target = await openKeystore(ctx, flags.to, '--to');
        opened.push(target);
        await run(ctx, flags, source, target, matches, existing);
      } finally {
        await Promise.all(opened.map((o) => o.keystore.close().catch(() => undefined)));
      }
    });
}

async function run(
  ctx: CliContext,
  flags: MigrateFlags,
  source: OpenedKeystore,
  target: OpenedKeystore,
  matches: (name: string) => boolean,
  existing: ExistingPolicy,
): Promise<void> {
  const json = flags.json === true;
  const s = ctx.style(flags.color);
  if (!json) {
    ctx.out(`${s.bold('Source:')}  ${source.description}\n${s.bold('Target:')}  ${target.description}\n`);
    if (existing === 'force') ctx.out(`${s.yellow('Warning:')} keys that exist at the target with a different value will be overwritten.\n`);
    if (existing === 'merge') ctx.out(`${s.yellow('Note:')} keys that exist at the target with a different value are kept.\n`);
    ctx.out('\n');
  }
  const names = await listNames(source.keystore, ctx.io.signal);
  const selected = names.filter(matches);
  const progress: Progress | undefined = json ? undefined : ctx.isTTY ? barProgress(ctx.io.stdout) : lineProgress(ctx.io.stdout);
  const started = performance.now();
  progress?.start(selected.length);
  const result = await migrateKeys(source.keystore, target.keystore, {
    names: selected,
    existing,
    concurrency: flags.concurrency,
    signal: ctx.io.signal,
    onKey: (name, outcome, message) => {
      progress?.tick();
      if (!json && !ctx.isTTY && message !== undefined) ctx.err(`${outcome === 'conflict' ? 'Conflict' : 'Failed'}: key '${name}': ${message}\n`);
    },
  });
  progress?.stop();
  const seconds = (performance.now() - started) / 1000;
  const bad = result.counts.conflict + result.counts.failed;
  ctx.exitCode = result.interrupted ? 130 : bad > 0 ? 1 : 0;
  if (json) {
    ctx.json({
      source: source.description,
      target: target.description,
      total: selected.length,
      processed: result.processed,
      ...result.counts,
      interrupted: result.interrupted,
      seconds: Number(seconds.toFixed(3)),
      problems: result.problems,
    });
    return;
  }
  if (ctx.isTTY) {
    for (const p of result.problems) ctx.err(`${s.red(p.outcome === 'conflict' ? 'Conflict:' : 'Failed:')} key '${p.name}': ${p.message}\n`);
  }
  const parts = LABELS.filter(([o]) => result.counts[o] > 0 || o === 'copied').map(([o, label]) => `${result.counts[o]} ${label}`);
  const rate = seconds > 0 ? (result.processed / seconds).toFixed(1) : '0.0';
  ctx.out(`\nProcessed ${result.processed} of ${selected.length} keys in ${seconds.toFixed(1)}s (${rate} keys/s): ${parts.join(', ')}\n`);
  if (result.interrupted) {
    ctx.out(`${s.yellow('Interrupted.')} Run the same command again to continue: keys already copied are skipped.\n`);
  } else if (bad > 0) {
    ctx.out(`${s.red('Not complete:')} ${bad} key(s) are not at the target as at the source (see above).\n`);
  } else {
    ctx.out(`${s.green('DONE')}\n`);
  }
}

async function listNames(keystore: Keystore, signal: AbortSignal): Promise<string[]> {
  try {
    return await listAllNames(keystore, '', signal);
  } catch (err) {
    throw failed('cannot list the keys of the source', err);
  }
}
