/**
 * Building a {@link KesClient} from the environment (spec §7.1), the common flags (`-k`, `--ca`) and, for encrypted
 * client keys, a password from `KES_CLIENT_KEY_PASSWORD` or a prompt.
 */
import { resolve } from 'node:path';
import { clientConfigFromEnv, isKesClientError, KesClient, type KesClientOptions } from '@kes/client';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { isTerminal } from './io.js';
import { readPassword } from './password.js';

/** Variables naming the CA certificate(s) that verify the server (first one set wins). */
export const CA_ENV_VARS = ['KES_CA_PATH', 'MINIO_KMS_KES_CAPATH'] as const;
/** Variables holding the password of an encrypted client private key (first one set wins). */
export const PASSWORD_ENV_VARS = ['KES_CLIENT_KEY_PASSWORD', 'MINIO_KMS_KES_KEY_PASSWORD'] as const;

/** Flags that shape the connection. */
export interface ConnectFlags {
  /** `-k/--insecure`: do not verify the server certificate. */
  insecure?: boolean;
  /** `--ca <PATH>`: CA certificate file or directory that verifies the server (replaces the system roots). */
  ca?: string;
  /** `kes ls -s`: server endpoint(s), overriding the environment. */
  server?: string;
  /** `kes ls -a`: API key, overriding the environment. */
  apiKey?: string;
}

function firstSet(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/**
 * Creates a client for the configured server. Makes no request.
 * @throws KesClientError (`CONFIG`, `CREDENTIALS`, `WRONG_PASSWORD`, …) or CliError when an encrypted key needs a
 *   password that cannot be asked for.
 */
export async function connect(ctx: CliContext, flags: ConnectFlags = {}): Promise<KesClient> {
  const env = ctx.io.env;
  const config = clientConfigFromEnv(env, {
    ...(flags.server === undefined ? {} : { server: flags.server }),
    ...(flags.apiKey === undefined ? {} : { apiKey: flags.apiKey }),
  });
  const path = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(ctx.io.cwd, p));
  const ca = flags.ca ?? firstSet(env, CA_ENV_VARS);
  const options: KesClientOptions = {
    endpoints: config.endpoints,
    insecure: flags.insecure === true,
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
    ...(config.certFile === undefined ? {} : { certFile: path(config.certFile) }),
    ...(config.keyFile === undefined ? {} : { keyFile: path(config.keyFile) }),
    ...(ca === undefined ? {} : { caFile: path(ca) }),
  };
  const password = firstSet(env, PASSWORD_ENV_VARS);
  try {
    return await KesClient.create(password === undefined ? options : { ...options, password });
  } catch (err) {
    if (!isKesClientError(err, 'PASSWORD_REQUIRED') || password !== undefined) throw err;
    if (!isTerminal(ctx.io, ctx.io.stdin)) {
      throw new CliError(
        `the client private key '${config.keyFile ?? ''}' is encrypted: set KES_CLIENT_KEY_PASSWORD, or run the command in a terminal to be asked for the password`,
      );
    }
    const typed = await readPassword(ctx.io, 'Enter password for private key: ');
    return KesClient.create({ ...options, password: typed });
  }
}

/**
 * Runs `fn` with a connected client and closes it afterwards.
 */
export async function withClient<T>(ctx: CliContext, flags: ConnectFlags, fn: (client: KesClient) => Promise<T>): Promise<T> {
  const client = await connect(ctx, flags);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
