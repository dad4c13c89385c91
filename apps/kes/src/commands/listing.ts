/**
 * The list commands (`kes ls`, `kes key ls`, `kes policy ls`, `kes identity ls`): a header and one name per line on
 * a terminal, bare names otherwise, a JSON array with `--json`.
 */
import type { KesClient, Listing } from '@kes/client';
import { Command } from 'commander';
import { withClient } from '../cli/connect.js';
import type { CliContext } from '../cli/context.js';
import { attempt } from '../cli/errors.js';
import type { ColorMode } from '../cli/io.js';
import { checkPattern } from '../cli/names.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';

/** What the server lists. */
export type ListKind = 'keys' | 'policies' | 'identities';

const KINDS: Record<ListKind, { header: string; list: (client: KesClient, prefix: string, signal: AbortSignal) => Listing }> = {
  keys: { header: 'Key', list: (client, prefix, signal) => client.listKeys(prefix, { signal }) },
  policies: { header: 'Policy', list: (client, prefix, signal) => client.listPolicies(prefix, { signal }) },
  identities: { header: 'Identity', list: (client, prefix, signal) => client.listIdentities(prefix, { signal }) },
};

/** Collects a listing and prints it. */
async function printListing(ctx: CliContext, listing: Listing, opts: { header: string; json?: boolean; color?: ColorMode }): Promise<void> {
  const names = [...new Set(await listing.all())].sort();
  if (opts.json === true) {
    ctx.json(names);
    return;
  }
  if (!ctx.isTTY) {
    ctx.out(names.map((n) => `${n}\n`).join(''));
    return;
  }
  if (names.length === 0) return;
  const style = ctx.style(opts.color);
  ctx.out(`${style.underline(opts.header)}\n${names.join('\n')}\n`);
}

/**
 * Connects, lists the `kind` names starting with `prefix` (`''` = all) and prints them.
 * @throws CliError `failed to list <kind>: …` when connecting or listing fails.
 */
export async function listNames(ctx: CliContext, opts: ClientOptionValues, kind: ListKind, prefix: string): Promise<void> {
  const { header, list } = KINDS[kind];
  await withClient(ctx, opts, (client) => attempt(`failed to list ${kind}`, printListing(ctx, list(client, prefix, ctx.io.signal), { header, ...opts })));
}

/** The help of a group's `ls` command. */
export interface ListCommandHelp {
  /** The command's description. */
  readonly description: string;
  /** The help of its `[pattern]` argument. */
  readonly pattern: string;
  /** Example command lines. */
  readonly examples: readonly string[];
}

/** A group's `ls [pattern]` command (`kes key ls`, …): `*` (the default) lists everything, else a checked prefix. */
export function listCommand(ctx: CliContext, kind: ListKind, help: ListCommandHelp): Command {
  return withClientOptions(new Command('ls').description(help.description))
    .argument('[pattern]', help.pattern, '*')
    .addOption(jsonOption('the names'))
    .addOption(colorOption())
    .addHelpText('after', examples(...help.examples))
    .action(async (pattern: string, opts: ClientOptionValues) => {
      if (pattern !== '*') checkPattern(pattern);
      await listNames(ctx, opts, kind, pattern === '*' ? '' : pattern);
    });
}
