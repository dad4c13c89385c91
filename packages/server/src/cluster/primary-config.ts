/**
 * The config as the primary of a multi-process server holds it: the file's contents (which it hands to every worker,
 * so all run exactly what it checked) and the parsed config — loaded at start, and checked on each reload before any
 * worker is asked: parse and validate, TLS material, `keys:` (created here, once for all processes).
 */
import { secureContextOptions } from '../auth/tls.js';
import {
  buildTlsOptions,
  createKeystore,
  formatConfigProblem,
  parseConfig,
  readConfigFile,
  type KeystoreRegistry,
  type ServerConfig,
} from '../config/index.js';
import { configPath } from '../launch/config-running.js';
import type { LaunchOptions } from '../launch/launch.js';
import type { ReloadKind } from '../reload/reload-queue.js';
import { createKeysOnce } from './keys-once.js';

/** A config file's contents and what they parse to. */
export interface PrimaryConfig {
  readonly text: string;
  readonly config: ServerConfig;
}

/** What the primary's checks need from the launcher. */
export type PrimaryContext = Pick<LaunchOptions, 'cwd' | 'env'> & { readonly file: string; readonly registry: KeystoreRegistry };

/**
 * Reads and parses the config file. @throws ConfigError (the message one process prints) when it does not load.
 */
export async function readPrimaryConfig(ctx: PrimaryContext): Promise<PrimaryConfig> {
  const path = configPath(ctx.file, ctx.cwd);
  const text = await readConfigFile(path);
  return { text, config: await parseConfig(text, { file: path, env: ctx.env, registry: ctx.registry, cwd: ctx.cwd }) };
}

/**
 * Creates the `keys:` of `config` once, for every process. @returns `undefined`, or the message one process prints
 * (`failed to create key '<name>': <reason>`).
 */
export function createPrimaryKeys(ctx: PrimaryContext, config: ServerConfig): Promise<string | undefined> {
  return createKeysOnce(config, () => createKeystore(config, ctx.registry, ctx.cwd, { warn: () => undefined }));
}

/**
 * The primary's checks of a reload of `kind` while `inForce` runs: for `'config'` the file is re-read and parsed
 * (its warnings go to `note`), its TLS material validated and its `keys:` created; for `'tls'` the TLS files of
 * `inForce` are re-read and validated.
 * @returns the config the reload brings (`inForce` for `'tls'`).
 * @throws Error with the problems, worded as one process words them.
 */
export async function checkReload(ctx: PrimaryContext, kind: ReloadKind, inForce: PrimaryConfig, note: (line: string) => void): Promise<PrimaryConfig> {
  if (kind === 'tls') {
    secureContextOptions(await buildTlsOptions(inForce.config, ctx.cwd));
    return inForce;
  }
  const next = await readPrimaryConfig(ctx);
  for (const w of next.config.warnings) note(`Warning: ${formatConfigProblem(w, next.config.file).trimStart()}\n`);
  secureContextOptions(await buildTlsOptions(next.config, ctx.cwd));
  const keysFailed = await createPrimaryKeys(ctx, next.config);
  if (keysFailed !== undefined) throw new Error(keysFailed);
  return next;
}
