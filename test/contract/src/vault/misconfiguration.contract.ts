import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

describe('vault answers that point at the configuration (emulator)', () => {
  it('version v1 on a K/V v2 mount: the 404-with-warning becomes an error that says to set version: v2', async () => {
    const ks = await fixture.keystore(fixture.block({ version: 'v1' }));
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(String((err.cause as Error).message)).toMatch(/Invalid path for a versioned K\/V secrets engine.*set version: v2/);
    await expectKesError(ks.create('k', Buffer.from('v')), 'CREATE_KEY_FAILED');
  });

  it('an engine that is not mounted: "no handler for route" with a hint, not an empty list', async () => {
    const ks = await fixture.keystore(fixture.block({ engine: 'missing-mount' }));
    const err = await expectKesError(ks.list('', 0), 'LIST_KEYS_FAILED');
    expect(String((err.cause as Error).message)).toMatch(/no handler for route .*check engine/);
    await expectKesError(ks.delete('k'), 'DELETE_KEY_FAILED');
  });

  it('an empty key directory lists nothing (KES fails here with 502); folders and foreign entries are skipped', async () => {
    const block = fixture.block();
    const ks = await fixture.keystore(block);
    expect(await ks.list('', 0)).toEqual({ names: [], continueAt: '' });
    await ks.create('key', Buffer.from('v'));
    await fixture.raw('POST', `kv/data/${String(block['prefix'])}/folder/inner`, { body: { data: { inner: 'x' } } });
    expect(await ks.list('', 0)).toEqual({ names: ['key'], continueAt: '' });
  });

  it('Vault 5xx answers: 500 is the call failing, 502/503/504 are KEYSTORE_UNREACHABLE', async () => {
    const ks = await fixture.keystore();
    await ks.create('k', Buffer.from('v'));
    fixture.emulator.knobs.faults.push({ method: 'GET', path: 'kv/', status: 500, errors: ['internal error'], times: 1 });
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(String((err.cause as Error).message)).toMatch(/internal error \(HTTP 500\)/);
    for (const status of [502, 504]) {
      fixture.emulator.knobs.faults.push({ method: 'GET', path: 'kv/', status, times: 1 });
      await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
    }
    expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
  });

  it('names Vault cannot hold as one path segment are INVALID_KEY_CONFIG', async () => {
    const ks = await fixture.keystore();
    for (const name of ['a/b', '..', '.', '']) await expectKesError(ks.get(name), 'INVALID_KEY_CONFIG');
  });
});
