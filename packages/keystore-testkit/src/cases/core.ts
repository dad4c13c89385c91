import { expect } from 'vitest';
import { expectBytes, expectKesError, storedKeyLike, utf8 } from '../assertions.js';
import type { ContractGroup } from './contract-case.js';

/** Create/get/delete semantics and errors every backend must have. */
export const coreGroup: ContractGroup = {
  title: 'create, get, delete',
  cases: [
    {
      title: 'get returns what create stored',
      async run(ks) {
        const value = storedKeyLike('my-key');
        await ks.create('my-key', value);
        expectBytes(await ks.get('my-key'), value);
      },
    },
    {
      title: 'a one-byte value round-trips',
      async run(ks) {
        await ks.create('tiny', utf8('x'));
        expectBytes(await ks.get('tiny'), utf8('x'));
      },
    },
    {
      title: 'create on a taken name throws KEY_EXISTS and keeps the first value (also for an identical value)',
      async run(ks) {
        const first = storedKeyLike('first');
        await ks.create('my-key', first);
        await expectKesError(ks.create('my-key', storedKeyLike('second')), 'KEY_EXISTS');
        await expectKesError(ks.create('my-key', first), 'KEY_EXISTS');
        expectBytes(await ks.get('my-key'), first);
      },
    },
    {
      title: 'get of a missing name throws KEY_NOT_FOUND',
      async run(ks) {
        await expectKesError(ks.get('missing-key'), 'KEY_NOT_FOUND');
        await ks.create('present', storedKeyLike('p'));
        await expectKesError(ks.get('presen'), 'KEY_NOT_FOUND');
        await expectKesError(ks.get('present2'), 'KEY_NOT_FOUND');
      },
    },
    {
      title: 'delete removes the key: get throws KEY_NOT_FOUND and the name can be created again',
      async run(ks) {
        await ks.create('my-key', storedKeyLike('old'));
        await ks.delete('my-key');
        await expectKesError(ks.get('my-key'), 'KEY_NOT_FOUND');
        const fresh = storedKeyLike('new');
        await ks.create('my-key', fresh);
        expectBytes(await ks.get('my-key'), fresh);
      },
    },
    {
      title: 'delete of a missing name resolves or throws KEY_NOT_FOUND, nothing else',
      async run(ks) {
        const outcome = await ks.delete('missing-key').then(
          () => undefined,
          (err: unknown) => err,
        );
        if (outcome !== undefined) await expectKesError(Promise.reject(outcome), 'KEY_NOT_FOUND');
      },
    },
    {
      title: 'keys with related names do not interfere',
      async run(ks) {
        const names = ['a', 'ab', 'a-b', 'b'];
        for (const name of names) await ks.create(name, storedKeyLike(name));
        await ks.delete('a');
        await expectKesError(ks.get('a'), 'KEY_NOT_FOUND');
        for (const name of names.slice(1)) expectBytes(await ks.get(name), storedKeyLike(name), name);
      },
    },
    {
      title: 'values are copied in and out (the caller may modify its arrays)',
      async run(ks) {
        const input = Buffer.from('original value');
        await ks.create('my-key', input);
        input.fill(0x78);
        const out = await ks.get('my-key');
        expectBytes(out, utf8('original value'));
        out.fill(0x79);
        expectBytes(await ks.get('my-key'), utf8('original value'));
      },
    },
    {
      title: 'a value that is a view into a larger buffer is stored as just the view',
      async run(ks) {
        const backing = utf8('xxxxINNERyyyy');
        await ks.create('my-key', backing.subarray(4, 9));
        expectBytes(await ks.get('my-key'), utf8('INNER'));
      },
    },
    {
      title: 'status resolves with a finite latency >= 0',
      async run(ks) {
        const status = await ks.status();
        expect(typeof status.latencyMs).toBe('number');
        expect(Number.isFinite(status.latencyMs)).toBe(true);
        expect(status.latencyMs).toBeGreaterThanOrEqual(0);
      },
    },
    {
      title: 'close resolves and is idempotent (sequential and concurrent calls)',
      async run(ks) {
        await ks.create('my-key', storedKeyLike('x'));
        await expect(Promise.all([ks.close(), ks.close()])).resolves.toBeDefined();
        await expect(ks.close()).resolves.toBeUndefined();
      },
    },
  ],
};
