/**
 * `kes identity new`: a new API key, or a private key + self-signed certificate pair for mTLS (spec §7.2).
 */
import { writeFile, unlink, access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiKey } from '@kes/core';
import { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { loadDurations } from '../cli/durations.js';
import { CliError, usageError } from '../cli/errors.js';
import { isTerminal } from '../cli/io.js';
import { examples, jsonOption } from '../cli/options.js';
import { readPassword } from '../cli/password.js';
import { encryptPemBlock } from '../identity/encrypt-pem.js';
import { createSelfSignedCertificate } from '../identity/self-signed.js';
import { printApiKey } from '../identity/print.js';

interface NewOptions {
  key?: string;
  cert?: string;
  ip: string[];
  dns: string[];
  expiry: string;
  encrypt?: boolean;
  force?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').map((v) => v.trim()).filter((v) => v !== ''),
];

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

async function askNewPassword(ctx: CliContext): Promise<string> {
  const password = await readPassword(ctx.io, 'Enter password for private key: ');
  if (isTerminal(ctx.io, ctx.io.stdin)) {
    const confirm = await readPassword(ctx.io, 'Confirm password for private key: ');
    if (confirm !== password) throw new CliError("passwords don't match: run the command again");
  }
  if (password === '') throw new CliError('the password must not be empty');
  return password;
}

/** The `kes identity new` command. */
export function identityNewCommand(ctx: CliContext): Command {
  return new Command('new')
    .description('Create a new identity: an API key, or a private key and self-signed certificate (Ed25519) for TLS')
    .argument('[subject]', 'common name of the certificate (writes a key and certificate)')
    .option('--key <PATH>', 'private key file to write (default: private.key)')
    .option('--cert <PATH>', 'certificate file to write (default: public.crt)')
    .option('--ip <IP>', 'add an IP address as subject alternative name (repeat or comma-separate)', collect, [])
    .option('--dns <NAME>', 'add a DNS name as subject alternative name (repeat or comma-separate)', collect, [])
    .option('--expiry <DURATION>', 'validity of the certificate, e.g. 720h (30 days) or 8760h', '720h')
    .option('--encrypt', 'encrypt the private key file with a password (asked for; or read from standard input)')
    .option('-f, --force', 'overwrite existing private key and certificate files')
    .addOption(jsonOption('the API key and identity, or the file names and identity', false))
    .addHelpText(
      'after',
      '\nWithout a subject or file options it prints a new API key and its identity and writes nothing.\n' +
        'With a subject or any of --key/--cert/--ip/--dns/--expiry/--encrypt/--force it writes a private key and a\n' +
        'certificate (usable as client and as server certificate) and prints their paths and the identity.\n' +
        examples(
          'kes identity new',
          'kes identity new --ip "127.0.0.1" localhost',
          'kes identity new --key=client.key --cert=client.crt MyApp',
          'kes identity new --key client1.key --cert client1.crt --encrypt --expiry 8760h Client-1',
        ),
    )
    .action(async (subject: string | undefined, opts: NewOptions, cmd: Command) => {
      const command = 'kes identity new';
      if (opts.key !== undefined && opts.cert === undefined) {
        throw usageError("private key file specified but no certificate file: set '--cert' as well", command);
      }
      if (opts.key === undefined && opts.cert !== undefined) {
        throw usageError("certificate file specified but no private key file: set '--key' as well", command);
      }
      const writeFiles =
        subject !== undefined ||
        opts.key !== undefined ||
        opts.ip.length > 0 ||
        opts.dns.length > 0 ||
        opts.encrypt === true ||
        opts.force === true ||
        cmd.getOptionValueSource('expiry') === 'cli';
      const apiKey = ApiKey.generate();
      if (!writeFiles) {
        printApiKey(ctx, apiKey, opts.json === true, false);
        return;
      }
      const expiryNs = (await loadDurations()).parse(opts.expiry);
      if (expiryNs === undefined || expiryNs <= 0n) {
        throw usageError(`invalid --expiry '${opts.expiry}': use a positive duration such as 720h or 8760h`, command);
      }
      const keyPath = opts.key ?? 'private.key';
      const certPath = opts.cert ?? 'public.crt';
      const keyFile = resolve(ctx.io.cwd, keyPath);
      const certFile = resolve(ctx.io.cwd, certPath);
      if (opts.force !== true) {
        if (await exists(keyFile)) throw new CliError(`private key '${keyPath}' already exists: use --force to overwrite it`);
        if (await exists(certFile)) throw new CliError(`certificate '${certPath}' already exists: use --force to overwrite it`);
      }
      let certPem: string;
      try {
        certPem = await createSelfSignedCertificate({
          privateKey: apiKey.privateKey(),
          commonName: subject ?? apiKey.identity,
          dnsNames: opts.dns,
          ips: opts.ip,
          validForMs: Number(expiryNs / 1_000_000n),
        });
      } catch (err) {
        throw usageError(`cannot create the certificate: ${(err as Error).message}`, command);
      }
      const der = apiKey.privateKey().export({ format: 'der', type: 'pkcs8' });
      const keyPem =
        opts.encrypt === true
          ? encryptPemBlock(der, await askNewPassword(ctx))
          : apiKey.privateKey().export({ format: 'pem', type: 'pkcs8' }).toString();
      const flag = opts.force === true ? 'w' : 'wx';
      await writeFile(keyFile, keyPem, { mode: 0o600, flag }).catch((err: unknown) => {
        throw new CliError(`cannot write the private key '${keyPath}': ${(err as Error).message}`);
      });
      await writeFile(certFile, certPem, { mode: 0o644, flag }).catch(async (err: unknown) => {
        await unlink(keyFile).catch(() => undefined);
        throw new CliError(`cannot write the certificate '${certPath}': ${(err as Error).message}`);
      });
      if (opts.json === true) {
        ctx.json({ private_key: keyPath, certificate: certPath, identity: apiKey.identity });
        return;
      }
      const s = ctx.style();
      ctx.out(`\n  Private key:  ${keyPath}\n  Certificate:  ${certPath}\n  Identity:     ${s.bold(apiKey.identity)}\n`);
    });
}
