import { expect } from 'vitest';
import { expectBytes, expectKesError, storedKeyLike } from '../assertions.js';
import type { ContractGroup } from './contract-case.js';

const aborted = () => {
  const reason = new Error('aborted by the contract suite');
  return { reason, signal: AbortSignal.abort(reason) };
};

export const abortGroup: ContractGroup = {
  title: 'abort signals',
  capability: 'abort',
  cases: [
    {
      title: 'every call with an already aborted signal rejects with the signal reason',
      async run(ks) {
        await ks.create('present', storedKeyLike('p'));
        const calls: Array<[string, (s: AbortSignal) => Promise<unknown>]> = [
          ['get', (s) => ks.get('present', s)],
          ['delete', (s) => ks.delete('present', s)],
          ['list', (s) => ks.list('', 0, s)],
          ['status', (s) => ks.status(s)],
          ['create', (s) => ks.create('other', storedKeyLike('o'), s)],
        ];
        for (const [what, call] of calls) {
          const { reason, signal } = aborted();
          await expect(call(signal), what).rejects.toBe(reason);
        }
      },
    },
    {
      title: 'an aborted create or delete changes nothing',
      async run(ks) {
        await ks.create('present', storedKeyLike('p'));
        await ks.create('absent', storedKeyLike('a'), aborted().signal).catch(() => undefined);
        await ks.delete('present', aborted().signal).catch(() => undefined);
        await expectKesError(ks.get('absent'), 'KEY_NOT_FOUND');
        expectBytes(await ks.get('present'), storedKeyLike('p'));
      },
    },
  ],
};
