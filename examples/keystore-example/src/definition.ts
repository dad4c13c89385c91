import { resolve } from 'node:path';
import type { KeystoreConfigProblem, KeystoreDefinition } from '@kes/core';
import { JsonFileKeystore } from './json-file-keystore.js';

/** The validated config block of this backend: `config: { file: ./keys.json }`. */
export interface JsonFileKeystoreConfig {
  /** The JSON file as written in the config (relative to the server's working directory). */
  readonly file: string;
}

/**
 * The definition the KES server loads through `keystore.module` (docs/custom-keystore.md):
 *
 * ```yaml
 * keystore:
 *   module:
 *     name: kes-keystore-example
 *     config:
 *       file: ./keys.json
 * ```
 */
export const keystoreDefinition: KeystoreDefinition<JsonFileKeystoreConfig> = {
  name: 'example.jsonfile',
  title: 'JSON file (example backend)',
  validate(block) {
    const fields = typeof block === 'object' && block !== null && !Array.isArray(block) ? (block as Record<string, unknown>) : {};
    const file = fields['file'];
    if (typeof file !== 'string' || file.trim() === '') {
      return { ok: false, problems: [{ path: ['file'], message: 'file is required', hint: 'name the JSON file that holds the keys, e.g. file: ./keys.json' }] };
    }
    const warnings: KeystoreConfigProblem[] = Object.keys(fields)
      .filter((k) => k !== 'file')
      .map((k) => ({ path: [k], message: `unknown field '${k}' is ignored`, hint: 'this backend only has file' }));
    return { ok: true, config: { file }, warnings };
  },
  async create(config, context) {
    return JsonFileKeystore.open(resolve(context.cwd, config.file));
  },
  describe(config) {
    return config.file;
  },
};
