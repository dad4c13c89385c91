/**
 * `kes policy info|ls|show`: the policies of the server's config (spec §4, §7.2).
 */
import { Command } from 'commander';
import { withClient } from '../cli/connect.js';
import type { CliContext } from '../cli/context.js';
import { attempt } from '../cli/errors.js';
import { formatDateTime, labelled } from '../cli/format.js';
import { checkName } from '../cli/names.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';
import { listCommand } from './listing.js';

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
      const info = await withClient(ctx, opts, (client) => attempt(`failed to describe policy '${name}'`, client.describePolicy(name, { signal: ctx.io.signal })));
      if (ctx.printsJson(opts)) {
        ctx.json({
          name: info.name,
          created_at: info.createdAt,
          ...(info.createdBy === undefined ? {} : { created_by: info.createdBy }),
        });
        return;
      }
      const s = ctx.style(opts.color);
      ctx.out(labelled(s, 'Name', s.yellow(info.name)) + labelled(s, 'Date', formatDateTime(info.createdAt)) + labelled(s, 'Created by', info.createdBy ?? ''));
    });

  policy.addCommand(
    listCommand(ctx, 'policies', {
      description: 'List the policies whose names match a pattern',
      pattern: "a name prefix, optionally ending in '*'",
      examples: ['kes policy ls', "kes policy ls 'my-policy*'"],
    }),
  );

  withClientOptions(policy.command('show').description('Show the allow and deny rules of a policy'))
    .argument('<name>', 'name of the policy')
    .addOption(jsonOption('the policy'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes policy show my-policy', 'kes policy show my-policy --json'))
    .action(async (name: string, opts: ClientOptionValues) => {
      checkName('policy', name);
      const doc = await withClient(ctx, opts, (client) => attempt(`failed to show policy '${name}'`, client.readPolicy(name, { signal: ctx.io.signal })));
      if (ctx.printsJson(opts)) {
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
        if (doc.createdAt !== undefined) out += labelled(s, 'Created at', formatDateTime(doc.createdAt));
        if (doc.createdBy !== undefined) out += labelled(s, 'Created by', doc.createdBy);
      }
      ctx.out(out);
    });

  return policy;
}
