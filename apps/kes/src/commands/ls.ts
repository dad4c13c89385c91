/**
 * `kes ls`: list keys (default), identities (`-i`) or policies (`-p`) (spec §7.2).
 */
import { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { usageError } from '../cli/errors.js';
import { checkPattern } from '../cli/names.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';
import { listNames } from './listing.js';

interface LsOptions extends ClientOptionValues {
  identity?: boolean;
  policy?: boolean;
  server?: string;
  apiKey?: string;
}

/** The `kes ls` command. */
export function lsCommand(ctx: CliContext): Command {
  return withClientOptions(new Command('ls').description('List keys, identities (-i) or policies (-p) whose names start with a prefix'))
    .argument('[prefix]', "a name prefix, optionally ending in '*' (default: everything)", '')
    .option('-i, --identity', 'list identities instead of keys')
    .option('-p, --policy', 'list policies instead of keys')
    .option('-s, --server <HOST[:PORT]>', 'the server to ask (default: $KES_SERVER, else 127.0.0.1:7373)')
    .option('-a, --api-key <KEY>', 'the API key to authenticate with (default: $KES_API_KEY)')
    .addOption(jsonOption('the names'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes ls', "kes ls 'my-key*'", 'kes ls -i', 'kes ls -p --json', 'kes ls -s 10.0.0.1:7373 -a kes:v1:AAAA…'))
    .action(async (prefix: string, opts: LsOptions) => {
      if (opts.identity === true && opts.policy === true) throw usageError("'--identity' and '--policy' cannot be used together", 'kes ls');
      const pattern = prefix === '*' ? '' : prefix;
      if (pattern !== '') checkPattern(pattern);
      await listNames(ctx, opts, opts.identity === true ? 'identities' : opts.policy === true ? 'policies' : 'keys', pattern);
    });
}
