import { isAbsolute, resolve } from 'node:path';
import type { KeystoreConfigProblem, KeystoreDefinition } from '@kes/core';
import { FsKeystore } from './fs-keystore.js';

/** Validated config of the `keystore: { fs: { path } }` block. */
export interface FsKeystoreConfig {
  /** The key directory as written in the config (relative paths are resolved against the server's cwd). */
  readonly path: string;
}

/**
 * The backend definition of {@link FsKeystore} for the KES block `keystore: { fs: { path: <dir> } }` (spec §6.3).
 * `create` prepares the directory at once, so a bad path stops the start with a clear message.
 */
export const keystoreDefinition: KeystoreDefinition<FsKeystoreConfig> = {
  name: 'fs',
  title: 'Filesystem',
  validate(block) {
    if (block === null || block === undefined || typeof block !== 'object' || Array.isArray(block)) {
      return { ok: false, problems: [{ path: ['path'], message: 'path is required', hint: 'write `fs: { path: /path/to/keys }`' }] };
    }
    const fields = block as Record<string, unknown>;
    const path = fields['path'];
    if (typeof path !== 'string' || path.trim() === '') {
      const message = path === undefined || path === null ? 'path is required' : 'path must be a non-empty string';
      return { ok: false, problems: [{ path: ['path'], message, hint: 'the directory that holds one file per key' }] };
    }
    const warnings: KeystoreConfigProblem[] = Object.keys(fields)
      .filter((field) => field !== 'path')
      .map((field) => ({ path: [field], message: `unknown field ${field} is ignored`, hint: 'the fs keystore only has path' }));
    return warnings.length > 0 ? { ok: true, config: { path }, warnings } : { ok: true, config: { path } };
  },
  async create(config, context) {
    return FsKeystore.open(isAbsolute(config.path) ? config.path : resolve(context.cwd, config.path));
  },
  describe(config) {
    return config.path;
  },
};
