/**
 * `kes key …`: create, import, info, ls, rm, encrypt, decrypt, dek (spec §7.2).
 */
import { encodeBase64 } from '@kes/core';
import { Command } from 'commander';
import { withClient } from '../cli/connect.js';
import type { CliContext } from '../cli/context.js';
import { attempt, failed } from '../cli/errors.js';
import { formatDateTime, labelled } from '../cli/format.js';
import { checkName } from '../cli/names.js';
import { colorOption, examples, jsonOption, withClientOptions, type ClientOptionValues } from '../cli/options.js';
import { decodeArg } from './decode-arg.js';
import { listCommand } from './listing.js';

/** The `kes key` command group. */
export function keyCommand(ctx: CliContext): Command {
  const key = new Command('key').description('Manage cryptographic keys on the KES server');

  withClientOptions(key.command('create').description('Create new keys on the server'))
    .argument('<name...>', 'names of the keys to create')
    .addHelpText('after', examples('kes key create my-key', 'kes key create my-key-1 my-key-2'))
    .action(async (names: string[], opts: ClientOptionValues) => {
      names.forEach((n) => checkName('key', n));
      await withClient(ctx, opts, async (client) => {
        for (const name of names) await attempt(`failed to create key '${name}'`, client.createKey(name, { signal: ctx.io.signal }));
      });
    });

  withClientOptions(key.command('import').description('Import an existing 256-bit key (AES256) into the server'))
    .argument('<name>', 'name of the new key')
    .argument('<key>', 'the key: 32 bytes, base64-encoded (e.g. from `openssl rand -base64 32`)')
    .addHelpText('after', examples('kes key import my-key-2 Xlnr/nOgAWE5cA7GAsl3L2goCvmfs6KE0gNgB1T93wE='))
    .action(async (name: string, text: string, opts: ClientOptionValues) => {
      checkName('key', name);
      const bytes = decodeArg(text, 'key');
      if (bytes.length !== 32) throw failed('invalid key', new Error(`it is ${bytes.length} bytes long, but a key must be 32 bytes`));
      await withClient(ctx, opts, (client) => attempt(`failed to import key '${name}'`, client.importKey(name, { key: bytes }, { signal: ctx.io.signal })));
    });

  withClientOptions(key.command('info').description('Show the algorithm, creation date and creator of a key'))
    .argument('<name>', 'name of the key')
    .addOption(jsonOption('the key information'))
    .addOption(colorOption())
    .addHelpText('after', examples('kes key info my-key', 'kes key info my-key --json'))
    .action(async (name: string, opts: ClientOptionValues) => {
      checkName('key', name);
      const info = await withClient(ctx, opts, (client) => attempt(`failed to describe key '${name}'`, client.describeKey(name, { signal: ctx.io.signal })));
      if (ctx.printsJson(opts)) {
        // The Go SDK's marshaller: `algorithm` is omitted for AES256 (the zero value of its enum), spec §7.2.
        ctx.json({
          name: info.name,
          ...(info.algorithm === 'AES256' || info.algorithm === '' ? {} : { algorithm: info.algorithm }),
          created_at: info.createdAt,
          ...(info.createdBy === undefined ? {} : { created_by: info.createdBy }),
        });
        return;
      }
      const s = ctx.style(opts.color);
      ctx.out(
        labelled(s, 'Name', s.bold(info.name)) +
          labelled(s, 'Algorithm', info.algorithm) +
          labelled(s, 'Date', formatDateTime(info.createdAt)) +
          labelled(s, 'Owner', info.createdBy ?? ''),
      );
    });

  key.addCommand(
    listCommand(ctx, 'keys', {
      description: 'List the keys whose names match a pattern',
      pattern: "a name prefix, optionally ending in '*'",
      examples: ['kes key ls', "kes key ls 'my-key*'", 'kes key ls --json'],
    }),
  );

  withClientOptions(key.command('rm').description('Delete keys from the server (they cannot be recovered)'))
    .argument('<name...>', 'names of the keys to delete')
    .addHelpText('after', examples('kes key rm my-key', 'kes key rm my-key-1 my-key-2'))
    .action(async (names: string[], opts: ClientOptionValues) => {
      names.forEach((n) => checkName('key', n));
      await withClient(ctx, opts, async (client) => {
        for (const name of names) await attempt(`failed to remove key '${name}'`, client.deleteKey(name, { signal: ctx.io.signal }));
      });
    });

  withClientOptions(key.command('encrypt').description('Encrypt a short message with a key (no context)'))
    .argument('<name>', 'name of the key')
    .argument('<message>', 'the message, as literal text')
    .addOption(jsonOption('the ciphertext'))
    .addHelpText('after', examples('kes key encrypt my-key "Hello World"'))
    .action(async (name: string, message: string, opts: ClientOptionValues) => {
      checkName('key', name);
      const ciphertext = await withClient(ctx, opts, (client) =>
        attempt('failed to encrypt message', client.encrypt(name, Buffer.from(message, 'utf8'), undefined, { signal: ctx.io.signal })),
      );
      if (ctx.printsJson(opts)) ctx.json({ ciphertext: encodeBase64(ciphertext) });
      else ctx.out(`\nciphertext: ${encodeBase64(ciphertext)}\n`);
    });

  withClientOptions(key.command('decrypt').description('Decrypt a ciphertext; prints the plaintext base64-encoded'))
    .argument('<name>', 'name of the key')
    .argument('<ciphertext>', 'the ciphertext, base64-encoded')
    .argument('[context]', 'the context (associated data) it was encrypted with, base64-encoded')
    .addOption(jsonOption('the plaintext'))
    .addHelpText(
      'after',
      examples('CIPHERTEXT=$(kes key dek my-key | jq -r .ciphertext)', 'kes key decrypt my-key "$CIPHERTEXT"'),
    )
    .action(async (name: string, ciphertextText: string, contextText: string | undefined, opts: ClientOptionValues) => {
      checkName('key', name);
      const ciphertext = decodeArg(ciphertextText, 'ciphertext');
      const context = contextText === undefined ? undefined : decodeArg(contextText, 'context');
      const plaintext = await withClient(ctx, opts, (client) => attempt('failed to decrypt ciphertext', client.decrypt(name, ciphertext, context, { signal: ctx.io.signal })));
      if (ctx.printsJson(opts)) ctx.json({ plaintext: encodeBase64(plaintext) });
      else ctx.out(`\nplaintext: ${encodeBase64(plaintext)}\n`);
    });

  withClientOptions(key.command('dek').description('Generate a data encryption key: its plaintext and its ciphertext under a key'))
    .argument('<name>', 'name of the key')
    .argument('[context]', 'a context (associated data) to bind the ciphertext to, base64-encoded')
    .addOption(jsonOption('the data key'))
    .addHelpText('after', examples('kes key dek my-key', 'kes key dek my-key "$(echo -n bucket/object | base64)"'))
    .action(async (name: string, contextText: string | undefined, opts: ClientOptionValues) => {
      checkName('key', name);
      const context = contextText === undefined ? undefined : decodeArg(contextText, 'context');
      const dek = await withClient(ctx, opts, (client) => attempt('failed to generate data encryption key', client.generateKey(name, context, { signal: ctx.io.signal })));
      const plaintext = encodeBase64(dek.plaintext);
      const ciphertext = encodeBase64(dek.ciphertext);
      if (ctx.printsJson(opts)) ctx.json({ plaintext, ciphertext });
      else ctx.out(`\nplaintext:  ${plaintext}\nciphertext: ${ciphertext}\n`);
    });

  return key;
}
