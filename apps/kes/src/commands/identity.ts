/**
 * `kes identity` (bare forms), `kes identity new` and `kes identity of` — offline commands (spec §3.2, §7.2) — plus
 * the online `info` and `ls` subcommands from ./identity-server.ts.
 */
import { ApiKey, apiKeyFromPrivateKey } from '@kes/core';
import { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import { examples, jsonOption } from '../cli/options.js';
import { readIdentitySource } from '../identity/inspect.js';
import { identityInfoCommand, identityLsCommand } from './identity-server.js';
import { identityNewCommand } from './identity-new.js';
import { printApiKey } from '../identity/print.js';

/** Prints one identity: `Identity:` block on a terminal, bare hex (no newline) otherwise, `{"identity"}` with --json. */
function printIdentity(ctx: CliContext, identity: string, json: boolean): void {
  if (json) ctx.json({ identity });
  else if (ctx.isTTY) ctx.out(`\n  Identity:  ${ctx.style().bold(identity)}\n`);
  else ctx.out(identity);
}

/** The `kes identity` command group. */
export function identityCommand(ctx: CliContext): Command {
  const identity = new Command('identity')
    .description('Create identities and API keys, compute identities, and inspect the identities a server knows')
    .argument('[source]', 'an API key (prints its identity), a certificate file (its identity) or an Ed25519 private key file (the equivalent API key)')
    .addOption(jsonOption('the API key and identity, or the identity', false))
    .enablePositionalOptions()
    .addHelpText(
      'after',
      '\nWithout a command or source, a new API key and its identity are printed (only the key when the output is not a terminal).\n' +
        examples('kes identity', 'kes identity kes:v1:AAAA…', 'kes identity client.crt', 'kes identity private.key'),
    )
    .action(async (source: string | undefined, opts: { json?: boolean }) => {
      const json = opts.json === true;
      if (source === undefined) {
        printApiKey(ctx, ApiKey.generate(), json, true);
        return;
      }
      const parsed = await readIdentitySource(ctx.io, source);
      if (parsed.kind !== 'private-key') {
        printIdentity(ctx, parsed.identity, json);
        return;
      }
      let key: ApiKey;
      try {
        key = apiKeyFromPrivateKey(parsed.key);
      } catch {
        throw new CliError(`'${source}' holds a ${parsed.key.asymmetricKeyType ?? 'non-Ed25519'} private key: only Ed25519 keys have an API key form`);
      }
      printApiKey(ctx, key, json, true);
    });

  identity.addCommand(identityNewCommand(ctx));

  identity
    .command('of')
    .description('Compute the identity of API keys, certificates or private keys')
    .argument('<source...>', "API keys ('kes:v1:…'), certificate files or private key files")
    .addOption(jsonOption('name and identity of each source (one object per line)', false))
    .addHelpText('after', examples('kes identity of client.crt', 'kes identity of kes:v1:AAAA…', 'kes identity of a.crt b.crt'))
    .action(async (sources: string[], opts: { json?: boolean }) => {
      const results: Array<{ name: string; identity: string }> = [];
      for (const source of sources) results.push({ name: source, identity: (await readIdentitySource(ctx.io, source)).identity });
      if (results.length === 1 && opts.json !== true) {
        printIdentity(ctx, results[0]!.identity, false);
        return;
      }
      if (ctx.isTTY && opts.json !== true) {
        ctx.out(results.map((r) => `${r.name}: ${r.identity}\n`).join(''));
        return;
      }
      for (const r of results) ctx.json(r);
    });

  identity.addCommand(identityInfoCommand(ctx));
  identity.addCommand(identityLsCommand(ctx));
  return identity;
}
