/**
 * Opening the keystore of a server config file with the server's own config loader (spec §6), without a server.
 */
import { resolve } from 'node:path';
import type { Keystore } from '@kes/core';
import { ConfigError, createKeystore, createKeystoreRegistry, loadConfigFile, type ConfigProblem } from '@kes/server/config';
import type { CliContext } from '../cli/context.js';
import { CliError } from '../cli/errors.js';

/** A keystore built from a config file, and how to name it to the user. */
export interface OpenedKeystore {
  keystore: Keystore;
  /** `<backend title> <where> (<file>)`, e.g. `Filesystem /srv/keys (a.yml)`. */
  description: string;
}

/** One problem on one line: `file:line: path: message (hint)`; the loader's `--config` hint does not apply here. */
function problemLine(p: ConfigProblem, file: string, withLocation: boolean): string {
  const where = withLocation ? `${p.line === undefined ? '' : `${file}:${p.line}: `}${p.path === '' ? '' : `${p.path}: `}` : '';
  const hint = p.hint === undefined || p.hint.includes('--config') ? '' : ` (${p.hint})`;
  return `${where}${p.message}${hint}`;
}

function configError(flag: string, file: string, err: ConfigError): CliError {
  const problems = err.problems;
  if (problems.length === 1) {
    return new CliError(`cannot use the ${flag} config '${file}': ${problemLine(problems[0]!, file, true)}`, 1, [], { cause: err });
  }
  const lines = problems.map((p) => problemLine(p, file, true));
  return new CliError(`cannot use the ${flag} config '${file}': ${problems.length} problems`, 1, lines, { cause: err });
}

/**
 * Loads and validates `file` (relative to the working directory), then builds its keystore through the keystore's
 * definition — backend packages resolve from this CLI's dependencies.
 * @throws CliError naming the flag and listing every problem of the config, or why the keystore cannot be built.
 */
export async function openKeystore(ctx: CliContext, file: string, flag: string): Promise<OpenedKeystore> {
  const cwd = ctx.io.cwd;
  const registry = createKeystoreRegistry((specifier) => import(specifier));
  try {
    const config = await loadConfigFile(resolve(cwd, file), { env: ctx.io.env, cwd, registry });
    for (const w of config.warnings) ctx.warn(`${flag} config: ${problemLine(w, file, true)}`);
    const keystore = await createKeystore(config, registry, cwd, { warn: (m) => ctx.warn(`${flag} keystore: ${m}`) });
    const where = config.keystore.description;
    return { keystore, description: `${config.keystore.title}${where === undefined || where === '' ? '' : ` ${where}`} (${file})` };
  } catch (err) {
    if (err instanceof ConfigError) throw configError(flag, file, err);
    throw err;
  }
}
