import type { Keystore } from '@kes/core';
import { describe, it } from 'vitest';
import { CONTRACT_GROUPS, type ContractCase } from './cases/index.js';
import type { DescribeKeystoreOptions, KeystoreCapability } from './types.js';

const CAPABILITIES = new Set(CONTRACT_GROUPS.flatMap((g) => (g.capability ? [g.capability] : [])));

/**
 * Registers the Keystore contract suite (vitest `describe`/`it`) for one backend. Call it at the top level of a test
 * file. Every test gets a fresh store from `options.create()`; the suite closes it afterwards and then runs
 * `options.cleanup`. A capability switched off with `{ skip: reason }` still registers its tests, as skipped, with the
 * reason in the group title, so the report shows what was not verified.
 *
 * @throws Error (at collection time) for an unknown capability name or a skip without a reason.
 */
export function describeKeystore<K extends Keystore>(name: string, options: DescribeKeystoreOptions<K>): void {
  const settings = options.capabilities ?? {};
  for (const [capability, setting] of Object.entries(settings)) {
    if (!CAPABILITIES.has(capability as KeystoreCapability)) {
      throw new Error(`describeKeystore(${name}): unknown capability '${capability}' (known: ${[...CAPABILITIES].join(', ')})`);
    }
    if (setting !== true && !(typeof setting?.skip === 'string' && setting.skip.trim() !== '')) {
      throw new Error(`describeKeystore(${name}): capability '${capability}' must be true or { skip: '<reason>' }`);
    }
  }

  describe(`Keystore contract: ${name}`, () => {
    for (const group of CONTRACT_GROUPS) {
      const setting = group.capability ? settings[group.capability] : undefined;
      if (setting !== undefined && setting !== true) {
        describe.skip(`${group.title} — skipped: ${setting.skip}`, () => {
          for (const c of group.cases) it(c.title, () => undefined);
        });
        continue;
      }
      describe(group.title, () => {
        for (const c of group.cases) {
          it(c.title, () => runCase(c, options), options.timeoutMs ?? group.timeoutMs);
        }
      });
    }
  });
}

async function runCase<K extends Keystore>(c: ContractCase, options: DescribeKeystoreOptions<K>): Promise<void> {
  const keystore = await options.create();
  try {
    await c.run(keystore);
  } finally {
    try {
      await keystore.close();
    } finally {
      await options.cleanup?.(keystore);
    }
  }
}
