import type { KeystoreConfigProblem, KeystoreDefinition } from '@kes/core';
import { MemoryKeystore } from './memory-keystore.js';

/** Config of the `keystore: { memory: {} }` block: it has no fields. */
export type MemoryKeystoreConfig = Record<string, never>;

/**
 * The backend definition of {@link MemoryKeystore} for the block `keystore: { memory: {} }` (a project extension:
 * upstream KES only uses an in-memory store for `--dev`). Keys live only as long as the process.
 */
export const keystoreDefinition: KeystoreDefinition<MemoryKeystoreConfig> = {
  name: 'memory',
  title: 'In-memory (volatile)',
  validate(block) {
    if (block === null || block === undefined) return { ok: true, config: {} };
    if (typeof block !== 'object' || Array.isArray(block)) {
      return { ok: false, problems: [{ path: [], message: 'memory must be an empty mapping', hint: 'write `memory: {}`' }] };
    }
    const warnings: KeystoreConfigProblem[] = Object.keys(block).map((field) => ({
      path: [field],
      message: `unknown field ${field} is ignored`,
      hint: 'the memory keystore has no settings',
    }));
    return warnings.length > 0 ? { ok: true, config: {}, warnings } : { ok: true, config: {} };
  },
  async create() {
    return new MemoryKeystore();
  },
  describe() {
    return 'process memory (keys are lost on exit)';
  },
};
