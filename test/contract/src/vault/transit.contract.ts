import { describeKeystore, expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

const transitBlock = () => fixture.block({ engine: 'kv', version: 'v2', transit: { key: 'kes' } });

describeKeystore('vault K/V v2 with transit (emulator)', {
  create: () => fixture.keystore(transitBlock()),
});

describe('vault transit wrapping (emulator)', () => {
  it('stores a vault:v1: ciphertext of the base64 value, not the value', async () => {
    const block = transitBlock();
    const ks = await fixture.keystore(block);
    await ks.create('wrapped', Buffer.from('stored-key-text'));
    const { status, body } = await fixture.raw('GET', `kv/data/${String(block['prefix'])}/wrapped`);
    expect(status).toBe(200);
    const stored = (body as { data: { data: Record<string, string> } }).data.data['wrapped']!;
    expect(stored).toMatch(/^vault:v1:/);
    expect(stored).not.toContain('stored-key-text');
    const plain = await fixture.raw('POST', 'transit/decrypt/kes', { body: { ciphertext: stored } });
    expect((plain.body as { data: { plaintext: string } }).data.plaintext).toBe(Buffer.from('stored-key-text').toString('base64'));
  });

  it('reads values written before a transit key rotation (vault:v1:) and after it (vault:v2:)', async () => {
    const block = transitBlock();
    const ks = await fixture.keystore(block);
    await ks.create('before', Buffer.from('one'));
    fixture.emulator.rotateTransitKey('kes');
    await ks.create('after', Buffer.from('two'));
    const after = await fixture.raw('GET', `kv/data/${String(block['prefix'])}/after`);
    expect((after.body as { data: { data: Record<string, string> } }).data.data['after']).toMatch(/^vault:v2:/);
    expect(Buffer.from(await ks.get('before')).toString()).toBe('one');
    expect(Buffer.from(await ks.get('after')).toString()).toBe('two');
  });

  it('a keystore without transit refuses a transit-encrypted entry with READ_KEY_FAILED', async () => {
    const block = transitBlock();
    const wrapped = await fixture.keystore(block);
    await wrapped.create('secret', Buffer.from('x'));
    const plain = await fixture.keystore({ ...block, transit: undefined });
    const err = await expectKesError(plain.get('secret'), 'READ_KEY_FAILED');
    expect(String(err.cause)).toMatch(/transit-encrypted but no transit key is configured/);
  });
});
