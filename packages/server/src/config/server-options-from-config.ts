import type { Keystore, KeystoreDefinition } from '@kes/core';
import type { ServerOptions } from '../server-options.js';
import { createKeystoreRegistry } from './builtin-keystores.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import type { KeystoreRegistry } from './registry.js';
import type { ListenAddress, ServerConfig } from './server-config.js';
import { readTlsMaterial } from './tls-files.js';

/** The address a server listens on when neither the config nor the command line sets one (spec §6.2). */
export const DEFAULT_ADDRESS: ListenAddress = Object.freeze({ host: '0.0.0.0', port: 7373 });

/** Options of {@link buildServerOptions}. */
export interface BuildServerOptionsOptions {
  /** Backends; must be able to resolve the config's keystore. Default: every built-in block. */
  readonly registry?: KeystoreRegistry;
  /** Directory the config's relative paths resolve against. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Listening address that wins over the config's (from `--addr` or the environment). */
  readonly address?: ListenAddress;
  /** Reported by `/version` and `/v1/status`. */
  readonly version?: { version: string; commit: string };
  /** Where the keystore's warnings go. Default: stderr. */
  readonly warn?: (message: string) => void;
  /** Log streams handed to the server. */
  readonly log?: Pick<NonNullable<ServerOptions['log']>, 'stdout' | 'stderr'>;
  /** Aborts keystore construction. */
  readonly signal?: AbortSignal;
}

/**
 * Turns a validated config into the options of `startServer`: reads and checks the TLS files (§1.1), builds the
 * keystore through its definition, maps durations to ms and levels to numbers. The returned keystore is owned by
 * the caller (the server closes it).
 * @throws ConfigError (with the config lines of the fields) when a TLS file is missing or wrong, or the keystore
 *   cannot be built (including "not available in this build").
 */
export async function buildServerOptions(config: ServerConfig, options: BuildServerOptionsOptions = {}): Promise<ServerOptions> {
  const cwd = options.cwd ?? process.cwd();
  const tls = await buildTlsOptions(config, cwd);
  const keystore = await createKeystore(config, options.registry ?? createKeystoreRegistry(), cwd, options);
  const log: NonNullable<ServerOptions['log']> = {
    errorLevel: config.log.errorLevel,
    auditLevel: config.log.auditLevel,
    ...(config.log.format === undefined ? {} : { format: config.log.format }),
    // only the streams: a caller passing a running server's whole `log` (levels included) must not override the file
    ...(options.log?.stdout === undefined ? {} : { stdout: options.log.stdout }),
    ...(options.log?.stderr === undefined ? {} : { stderr: options.log.stderr }),
  };
  const address = options.address ?? config.address ?? DEFAULT_ADDRESS;
  return {
    keystore,
    listen: { host: address.host === '' ? '0.0.0.0' : address.host, port: address.port },
    tls,
    adminIdentity: config.adminIdentity,
    policies: Object.fromEntries(
      Object.entries(config.policies).map(([name, p]) => [name, { allow: [...p.allow], deny: [...p.deny], identities: [...p.identities] }]),
    ),
    cache: { anyMs: config.cache.anyMs, unusedMs: config.cache.unusedMs, offlineMs: config.cache.offlineMs },
    api: Object.fromEntries(Object.entries(config.api).map(([path, a]) => [path, { ...a }])),
    log,
    keys: [...config.keys],
    ...(config.limits === undefined ? {} : { limits: { ...config.limits } }),
    ...(options.version === undefined ? {} : { version: options.version }),
  };
}

/**
 * The `tls` part of the server options: reads and checks `tls.key`, `tls.cert` and `tls.ca` (relative to `cwd`).
 * Used at start and for the periodic TLS re-read (spec §1.1: every 15 minutes).
 * @throws ConfigError (with the config lines of the fields) when a file is missing or wrong.
 */
export async function buildTlsOptions(config: ServerConfig, cwd: string = process.cwd()): Promise<ServerOptions['tls']> {
  const tls = await readTlsMaterial(config, cwd);
  if ('problems' in tls) throw new ConfigError(tls.problems, config.file);
  return {
    key: tls.key,
    cert: tls.cert,
    ...(config.tls.password === '' ? {} : { password: config.tls.password }),
    auth: config.tls.auth,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(config.tls.proxy === undefined ? {} : { proxy: { identities: [...config.tls.proxy.identities], certHeader: config.tls.proxy.certHeader } }),
  };
}

/**
 * Builds the keystore a config selects, through its definition (a built-in block or `keystore.module`).
 * @throws ConfigError naming the keystore block's line when the definition cannot be loaded or `create` fails.
 */
export async function createKeystore(
  config: ServerConfig,
  registry: KeystoreRegistry,
  cwd: string,
  options: Pick<BuildServerOptionsOptions, 'warn' | 'signal'> = {},
): Promise<Keystore> {
  const selection = config.keystore;
  const path = selection.module ? 'keystore.module' : `keystore.${selection.name}`;
  const fail = (message: string, hint: string, cause: unknown): never => {
    const line = config.lines[path] ?? config.lines['keystore'];
    const problem: ConfigProblem = { path, ...(line === undefined ? {} : { line }), message, hint };
    throw Object.assign(new ConfigError([problem], config.file), { cause });
  };
  let definition: KeystoreDefinition;
  try {
    definition = selection.module
      ? await registry.loadModule(selection.module.specifier, selection.module.exportName, cwd)
      : await registry.resolve(selection.name);
  } catch (err) {
    return fail(`cannot load the keystore: ${(err as Error).message}`, 'reinstall the server or the keystore module', err);
  }
  const warn = options.warn ?? ((message: string) => process.stderr.write(`Warning: ${message}\n`));
  try {
    return await definition.create(selection.settings, { cwd, warn, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (err) {
    const message = (err as Error).message;
    const unavailable = message.includes('not available in this build');
    return fail(
      unavailable ? message : `cannot start the '${selection.name}' keystore: ${message}`,
      unavailable ? 'use a build that includes this backend, or choose another keystore block' : 'check the keystore settings and that the service is reachable',
      err,
    );
  }
}
