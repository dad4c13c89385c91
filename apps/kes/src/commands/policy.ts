/**
 * `kes policy info|ls|show`: the policies of the server's config (spec §4, §7.2).
 */
import { Command } from 'commander';
import { withClient } from '../cli/connect.js';
import type { CliContext } from '../cli/context.js';
import { failed } from '../cli/errors.js';
import { formatDateTime, padEnd } from '../cli/format.js';
import { checkName, checkPattern } from '../cli/names.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';
import { printListing } from './listing.js';

/** `{"pattern":{}}` maps, the wire form of policy rules. */
function ruleMap(patterns: readonly string[]): Record<string, Record<string, never>> {
  return Object.fromEntries(patterns.map((p) => [p, {}]));
}

/** The `kes policy` command group. */
export function policyCommand(ctx: CliContext): Command {
  const policy = new Command('policy').description("Inspect the server's policies");

  withClientOptions(policy.command('info').description('Show when and by whom a policy was created'))
    .argument('<name>', 'name of the policy')
    .addOption(jsonOption('the policy information'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes policy info my-policy'))
    .action(async (name: string, opts: ClientOptionValues) => {
      checkName('policy', name);
      const info = await withClient(ctx, opts, (client) =>
        client.describePolicy(name, { signal: ctx.io.signal }).catch((err: unknown) => {
          throw failed(`failed to describe policy '${name}'`, err);
        }),
      );
      if (opts.json === true || !ctx.isTTY) {
        ctx.json({
          name: info.name,
          created_at: info.createdAt,
          ...(info.createdBy === undefined ? {} : { created_by: info.createdBy }),
        });
        return;
      }
      const s = ctx.style(opts.color);
      const line = (label: string, value: string): string => `${s.faint(padEnd(label, 11))} ${value}\n`;
      ctx.out(line('Name', s.yellow(info.name)) + line('Date', formatDateTime(info.createdAt)) + line('Created by', info.createdBy ?? ''));
    });

  withClientOptions(policy.command('ls').description('List the policies whose names match a pattern'))
    .argument('[pattern]', "a name prefix, optionally ending in '*'", '*')
    .addOption(jsonOption('the names'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes policy ls', "kes policy ls 'my-policy*'"))
    .action(async (pattern: string, opts: ClientOptionValues) => {
      if (pattern !== '*') checkPattern(pattern);
      await withClient(ctx, opts, (client) =>
        printListing(ctx, client.listPolicies(pattern === '*' ? '' : pattern, { signal: ctx.io.signal }), {
          header: 'Policy',
          ...opts,
        }).catch((err: unknown) => {
          throw failed('failed to list policies', err);
        }),
      );
    });

  withClientOptions(policy.command('show').description('Show the allow and deny rules of a policy'))
    .argument('<name>', 'name of the policy')
    .addOption(jsonOption('the policy'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes policy show my-policy', 'kes policy show my-policy --json'))
    .action(async (name: string, opts: ClientOptionValues) => {
      checkName('policy', name);
      const doc = await withClient(ctx, opts, (client) =>
        client.readPolicy(name, { signal: ctx.io.signal }).catch((err: unknown) => {
          throw failed(`failed to show policy '${name}'`, err);
        }),
      );
      if (opts.json === true || !ctx.isTTY) {
        ctx.json({
          ...(doc.allow.length === 0 ? {} : { allow: ruleMap(doc.allow) }),
          ...(doc.deny.length === 0 ? {} : { deny: ruleMap(doc.deny) }),
          ...(doc.createdAt === undefined ? {} : { created_at: doc.createdAt }),
          ...(doc.createdBy === undefined ? {} : { created_by: doc.createdBy }),
        });
        return;
      }
      const s = ctx.style(opts.color);
      let out = '';
      if (doc.allow.length > 0) out += `${s.bold('Allow:')}\n${doc.allow.map((p) => `  ${s.green('·')} ${p}\n`).join('')}`;
      if (doc.deny.length > 0) out += `${out === '' ? '' : '\n'}${s.bold('Deny:')}\n${doc.deny.map((p) => `  ${s.red('·')} ${p}\n`).join('')}`;
      if (doc.createdAt !== undefined || doc.createdBy !== undefined) {
        out += '\n';
        if (doc.createdAt !== undefined) out += `${s.faint(padEnd('Created at', 11))} ${formatDateTime(doc.createdAt)}\n`;
        if (doc.createdBy !== undefined) out += `${s.faint(padEnd('Created by', 11))} ${doc.createdBy}\n`;
      }
      ctx.out(out);
    });

  return policy;
}
