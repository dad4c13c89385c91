import { expect } from 'vitest';
import { expectBytes, expectKesError, storedKeyLike } from '../assertions.js';
import type { ContractGroup } from './contract-case.js';

export const concurrentCreateGroup: ContractGroup = {
  title: 'concurrent creates',
  capability: 'concurrentCreate',
  timeoutMs: 30_000,
  cases: [
    {
      title: '50 concurrent creates of one name: exactly one wins, the others get KEY_EXISTS, gets return the winner',
      async run(ks) {
        const values = Array.from({ length: 50 }, (_, i) => storedKeyLike(`contender-${i}`));
        const outcomes = await Promise.allSettled(values.map((value) => ks.create('contested', value)));
        const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
        expect(winners, 'number of successful creates').toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') await expectKesError(Promise.reject(outcome.reason), 'KEY_EXISTS');
        }
        const winner = values[winners[0]!]!;
        for (let i = 0; i < 3; i++) expectBytes(await ks.get('contested'), winner, 'value after the race');
      },
    },
    {
      title: '50 concurrent creates of different names all succeed',
      async run(ks) {
        const names = Array.from({ length: 50 }, (_, i) => `parallel-${String(i).padStart(2, '0')}`);
        await Promise.all(names.map((name) => ks.create(name, storedKeyLike(name))));
        for (const name of names) expectBytes(await ks.get(name), storedKeyLike(name), name);
      },
    },
  ],
};
