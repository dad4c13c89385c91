/**
 * `kes identity info` and `kes identity ls`: what the server knows about identities.
 */
import type { IdentityInfo, SelfInfo } from '@kes/client';
import { Command } from 'commander';
import { withClient } from '../cli/connect.js';
import type { CliContext } from '../cli/context.js';
import { attempt } from '../cli/errors.js';
import { formatDateTime, labelled } from '../cli/format.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';
import type { Style } from '../cli/style.js';
import { listCommand } from './listing.js';

function selfJson(info: SelfInfo): Record<string, unknown> {
  return {
    identity: info.identity,
    admin: info.admin,
    ...(info.createdAt === undefined ? {} : { created_at: info.createdAt }),
    ...(info.createdBy === undefined ? {} : { created_by: info.createdBy }),
    ...(info.policyName === undefined ? {} : { policy: info.policyName }),
    ...(info.allow.length === 0 ? {} : { allow: info.allow }),
    ...(info.deny.length === 0 ? {} : { deny: info.deny }),
  };
}

function identityJson(info: IdentityInfo): Record<string, unknown> {
  return {
    identity: info.identity,
    admin: info.admin,
    ...(info.policy === undefined ? {} : { policy: info.policy }),
    ...(info.createdAt === undefined ? {} : { created_at: info.createdAt }),
    ...(info.createdBy === undefined ? {} : { created_by: info.createdBy }),
  };
}

function printSelf(ctx: CliContext, info: SelfInfo, s: Style): void {
  let out =
    labelled(s, 'Identity', s.blue(info.identity)) +
    labelled(s, 'Created At', formatDateTime(info.createdAt)) +
    labelled(s, 'Role', info.admin ? 'Admin' : 'User') +
    (info.createdBy === undefined || info.createdBy === '' ? '' : labelled(s, 'Created By', info.createdBy));
  if (info.policyName !== undefined && info.policyName !== '') {
    out += '\n' + labelled(s, 'Policy', s.yellow(info.policyName));
    if (info.allow.length > 0) out += `${s.faint('Allow')}\n` + info.allow.map((p) => `${' '.repeat(11)} ${s.green('·')} ${p}\n`).join('');
    if (info.deny.length > 0) out += `${s.faint('Deny')}\n` + info.deny.map((p) => `${' '.repeat(11)} ${s.red('·')} ${p}\n`).join('');
  }
  ctx.out(out);
}

function printIdentity(ctx: CliContext, info: IdentityInfo, s: Style): void {
  ctx.out(
    labelled(s, 'Identity', s.blue(info.identity)) +
      (info.policy === undefined || info.policy === '' ? '' : labelled(s, 'Policy', s.yellow(info.policy))) +
      labelled(s, 'Created At', formatDateTime(info.createdAt)) +
      labelled(s, 'Role', info.admin ? 'Admin' : 'User') +
      (info.createdBy === undefined || info.createdBy === '' ? '' : labelled(s, 'Created By', info.createdBy)),
  );
}

/** `kes identity info [<identity>]`. */
export function identityInfoCommand(ctx: CliContext): Command {
  return withClientOptions(new Command('info').description('Show the role and policy of an identity (default: your own)'))
    .argument('[identity]', 'the identity (64 hex characters); omit it to describe the identity of this client')
    .addOption(jsonOption('the identity information'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes identity info', 'kes identity info 3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22'))
    .action(async (identity: string | undefined, opts: ClientOptionValues) => {
      const json = ctx.printsJson(opts);
      const s = ctx.style(opts.color);
      await withClient(ctx, opts, async (client) => {
        if (identity === undefined) {
          const self = await attempt('failed to describe this identity', client.describeSelf({ signal: ctx.io.signal }));
          if (json) ctx.json(selfJson(self));
          else printSelf(ctx, self, s);
          return;
        }
        const info = await attempt(`failed to describe identity '${identity}'`, client.describeIdentity(identity, { signal: ctx.io.signal }));
        if (json) ctx.json(identityJson(info));
        else printIdentity(ctx, info, s);
      });
    });
}

/** `kes identity ls [<pattern>]`. */
export function identityLsCommand(ctx: CliContext): Command {
  return listCommand(ctx, 'identities', {
    description: 'List the identities the server knows (admin and policy members)',
    pattern: "an identity prefix, optionally ending in '*'",
    examples: ['kes identity ls', "kes identity ls 'b804befd*'"],
  });
}
