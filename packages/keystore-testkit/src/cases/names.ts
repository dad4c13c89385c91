import { expect } from 'vitest';
import { expectBytes, expectKesError, storedKeyLike } from '../assertions.js';
import type { ContractGroup } from './contract-case.js';

/** Names at the edges of the KES name rules (spec §2.2: 1–80 bytes of `0-9 A-Z a-z _ -`). */
export const EDGE_NAMES: readonly string[] = [
  'a',
  '7',
  'k'.repeat(80),
  'my-key',
  'my_key',
  '_a',
  'a_',
  'x-_-y',
  '0123456789',
  'MyKey-2024_v1',
];

/** {@link EDGE_NAMES} in byte order (what Go's sort gives; locale order differs). */
const BYTE_ORDER = ['0123456789', '7', 'MyKey-2024_v1', '_a', 'a', 'a_', 'k'.repeat(80), 'my-key', 'my_key', 'x-_-y'];

export const namesGroup: ContractGroup = {
  title: 'names at the edges of the name rules',
  capability: 'names',
  cases: [
    {
      title: `edge names round-trip: ${EDGE_NAMES.map((n) => (n.length > 12 ? `${n[0]}×${n.length}` : n)).join(', ')}`,
      async run(ks) {
        for (const name of EDGE_NAMES) await ks.create(name, storedKeyLike(name));
        for (const name of EDGE_NAMES) expectBytes(await ks.get(name), storedKeyLike(name), name);
        for (const name of EDGE_NAMES) await ks.delete(name);
        for (const name of EDGE_NAMES) await expectKesError(ks.get(name), 'KEY_NOT_FOUND');
      },
    },
    {
      title: 'edge names are listed in byte order (upper case and digits before `_`, `_` before lower case)',
      async run(ks) {
        for (const name of EDGE_NAMES) await ks.create(name, storedKeyLike(name));
        expect((await ks.list('', 0)).names).toEqual(BYTE_ORDER);
      },
    },
  ],
};

export const caseSensitiveNamesGroup: ContractGroup = {
  title: 'case-sensitive names',
  capability: 'caseSensitiveNames',
  cases: [
    {
      title: 'k and K are different keys',
      async run(ks) {
        await ks.create('k', storedKeyLike('lower'));
        await expectKesError(ks.get('K'), 'KEY_NOT_FOUND');
        await ks.create('K', storedKeyLike('upper'));
        expectBytes(await ks.get('k'), storedKeyLike('lower'));
        expectBytes(await ks.get('K'), storedKeyLike('upper'));
        expect((await ks.list('', 0)).names).toEqual(['K', 'k']);
      },
    },
  ],
};
