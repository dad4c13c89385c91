import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

describe('vault K/V v2 check-and-set (emulator)', () => {
  it('writes with options.cas = 0, so a racing creator loses with KEY_EXISTS instead of overwriting', async () => {
    const block = fixture.block({ version: 'v2' });
    const nodes = await Promise.all(Array.from({ length: 8 }, () => fixture.keystore(block)));
    fixture.emulator.requests.clear();
    const outcomes = await Promise.allSettled(nodes.map((ks, i) => ks.create('contested', Buffer.from(`node-${i}`))));
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') await expectKesError(Promise.reject(o.reason), 'KEY_EXISTS');
    // Some losers passed the pre-read and were stopped by Vault's check-and-set (400), not by the pre-read.
    expect(fixture.emulator.requests.count({ method: 'POST', path: '/kv/data/', status: 400 })).toBeGreaterThan(0);
    const value = Buffer.from(await nodes[0]!.get('contested')).toString();
    expect(value).toBe(`node-${outcomes.findIndex((o) => o.status === 'fulfilled')}`);
  });

  it('a name whose only version was soft-deleted reads as KEY_NOT_FOUND and cannot be re-created (KEY_EXISTS)', async () => {
    const block = fixture.block({ version: 'v2' });
    const ks = await fixture.keystore(block);
    await ks.create('soft', Buffer.from('v'));
    expect((await fixture.raw('DELETE', `kv/data/${String(block['prefix'])}/soft`)).status).toBe(204);
    await expectKesError(ks.get('soft'), 'KEY_NOT_FOUND');
    await expectKesError(ks.create('soft', Buffer.from('w')), 'KEY_EXISTS');
    await ks.delete('soft'); // removes the metadata: the name is free again
    await ks.create('soft', Buffer.from('w'));
    expect(Buffer.from(await ks.get('soft')).toString()).toBe('w');
  });

  it('an entry written by someone else without the key field is not overwritten (KEY_EXISTS) and reads as READ_KEY_FAILED', async () => {
    const block = fixture.block({ version: 'v2' });
    const ks = await fixture.keystore(block);
    await fixture.raw('POST', `kv/data/${String(block['prefix'])}/foreign`, { body: { data: { other: 'x' } } });
    await expectKesError(ks.create('foreign', Buffer.from('v')), 'KEY_EXISTS');
    const err = await expectKesError(ks.get('foreign'), 'READ_KEY_FAILED');
    expect(String(err.cause)).toMatch(/no text field 'foreign'/);
  });
});
