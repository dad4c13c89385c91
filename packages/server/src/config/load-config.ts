import { readFile } from 'node:fs/promises';
import { createKeystoreRegistry } from './builtin-keystores.js';
import { deepFreeze } from './deep-freeze.js';
import type { Env } from './env.js';
import { ConfigError, sortProblems } from './problems.js';
import type { KeystoreRegistry } from './registry.js';
import type { ServerConfig } from './server-config.js';
import { validateConfigTree } from './validate-config.js';
import { parseYamlTree } from './yaml-tree.js';

/** Options of {@link parseConfig} and {@link loadConfigFile}. */
export interface LoadConfigOptions {
  /** Environment for `${VAR}` substitution. Default `process.env`. */
  readonly env?: Env;
  /** Keystore backends. Default: {@link createKeystoreRegistry} (every built-in block). */
  readonly registry?: KeystoreRegistry;
  /** Directory relative module paths resolve against. Default `process.cwd()`. */
  readonly cwd?: string;
  /** The file's name for messages (set by {@link loadConfigFile}). */
  readonly file?: string;
}

/**
 * Parses and validates a KES server config (YAML text, spec §6). Every problem of the file is collected, each with
 * its YAML path and line; backend packages are imported only for the block that is used.
 * @returns the config, deeply frozen (its `warnings` list what did not stop the load).
 * @throws ConfigError listing every problem when the config cannot be used.
 */
export async function parseConfig(text: string, options: LoadConfigOptions = {}): Promise<ServerConfig> {
  const parsed = parseYamlTree(text);
  if (parsed.problems.length > 0) throw new ConfigError(parsed.problems, options.file);
  const outcome = await validateConfigTree(parsed.root, {
    env: options.env ?? process.env,
    registry: options.registry ?? createKeystoreRegistry(),
    cwd: options.cwd ?? process.cwd(),
    ...(options.file === undefined ? {} : { file: options.file }),
  });
  if (outcome.config === undefined) throw new ConfigError(sortProblems(outcome.problems), options.file);
  const warnings = sortProblems(outcome.warnings);
  return deepFreeze({ ...(options.file === undefined ? {} : { file: options.file }), ...outcome.config, warnings });
}

/**
 * Reads `file` (relative to the working directory) and {@link parseConfig}s it.
 * @throws ConfigError when the file cannot be read or the config cannot be used.
 */
export async function loadConfigFile(file: string, options: Omit<LoadConfigOptions, 'file'> = {}): Promise<ServerConfig> {
  return parseConfig(await readConfigFile(file), { ...options, file });
}

/**
 * Reads the text of the config file `file` (relative to the working directory), for {@link parseConfig} — when the
 * same text must be parsed in several places (the processes of a multi-process server).
 * @throws ConfigError (`cannot read config file '<file>': <reason>`) when the file cannot be read.
 */
export async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError([{ path: '', message: `cannot read config file '${file}': ${reason}`, hint: 'check the --config path' }], file);
  }
}
