import { decodeStoredKey, encodeStoredKey, newStoredKey } from '@kes/core';
import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestVault, vaultCalls, type TestVault } from './emulator-harness.spec.js';
import { clientFor } from './sdk-client.spec.js';
import { oldestVersion } from './vault-calls.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

let vault: TestVault;
beforeAll(async () => {
  vault = await startTestVault();
});
afterAll(() => vault.stop());
beforeEach(() => vault.reset());

describe('storage format (the same as upstream KES)', () => {
  it('one secret per key, named like the key, holding the stored-key text, without content type or tags', async () => {
    const ks = vault.keystore();
    const stored = encodeStoredKey(newStoredKey({ createdBy: 'test' }));
    await ks.create('my-key', stored);
    const secret = await clientFor(vault.emu).getSecret('my-key');
    expect(secret.value).toBe(text(stored));
    expect(secret.properties.contentType).toBeUndefined();
    expect(secret.properties.tags ?? {}).toEqual({});
  });

  it('reads a secret written the way upstream KES writes it', async () => {
    const key = newStoredKey({ createdBy: 'upstream-kes' });
    await clientFor(vault.emu).setSecret('from-upstream', text(encodeStoredKey(key)));
    const read = decodeStoredKey(await vault.keystore().get('from-upstream'));
    expect(Buffer.from(read.key.bytes).equals(Buffer.from(key.key.bytes))).toBe(true);
  });
});

describe('get serves the oldest version', () => {
  it('a new version written later (directly through the SDK) never changes the served value, across pages', async () => {
    const ks = vault.keystore();
    await ks.create('stable', utf8('first'));
    const sdk = clientFor(vault.emu);
    for (let i = 0; i < 30; i++) await sdk.setSecret('stable', `later-${i}`); // 31 versions: two pages of 25
    expect(text(await ks.get('stable'))).toBe('first');
    expect(text(await vault.keystore().get('stable'))).toBe('first');
    expect(vaultCalls(vault.emu).filter((c) => c === 'GET /secrets/stable/versions').length).toBeGreaterThanOrEqual(2);
  });

  it('follows empty pages (nextLink with no items) to the end, for versions and for list', async () => {
    const ks = vault.keystore();
    for (const n of ['a', 'b', 'c']) await ks.create(n, utf8(n));
    await vault.emu.vault().setKnobs({ emptyPages: 3 });
    expect(text(await ks.get('b'))).toBe('b');
    expect((await ks.list('', 0)).names).toEqual(['a', 'b', 'c']);
  });

  it('lists every page of a vault with more secrets than one page holds', async () => {
    const ks = vault.keystore();
    const names = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    await Promise.all(names.map((n) => ks.create(n, utf8(n))));
    expect(await ks.list('', 0)).toEqual({ names, continueAt: '' });
    expect(await ks.list('k5', 3)).toEqual({ names: ['k50', 'k51', 'k52'], continueAt: 'k53' });
  });

  it('oldestVersion: smallest created time, ties keep the earlier list entry, missing times last', () => {
    const at = (s: number) => new Date(s * 1000);
    expect(oldestVersion([])).toBeUndefined();
    expect(oldestVersion([{ version: 'b', createdOn: at(2) }, { version: 'a', createdOn: at(1) }, { version: 'c', createdOn: at(1) }])?.version).toBe('a');
    expect(oldestVersion([{ version: 'x', createdOn: undefined }, { version: 'y', createdOn: at(9) }])?.version).toBe('y');
  });
});

describe('create', () => {
  it('racing creators on several nodes: exactly one wins, the others get KEY_EXISTS, every node serves the winner', async () => {
    const nodes = [vault.keystore(), vault.keystore(), vault.keystore()];
    for (const ks of nodes) await ks.status(); // authenticate first, so that the race is about the vault
    await vault.emu.vault().setKnobs({ latencyMs: 100 }); // all existence checks answer 404 before any PUT lands
    const values = ['node-0', 'node-1', 'node-2', 'node-0b', 'node-1b', 'node-2b'];
    const outcomes = await Promise.allSettled(values.map((v, i) => nodes[i % 3]!.create('contested', utf8(v))));
    const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [values[i]!] : []));
    expect(winners).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') await expectKesError(Promise.reject(o.reason), 'KEY_EXISTS');
    for (const ks of nodes) expect(text(await ks.get('contested'))).toBe(winners[0]);
    const puts = vaultCalls(vault.emu).filter((c) => c === 'PUT /secrets/contested');
    expect(puts.length).toBeGreaterThan(1); // several versions were written, only the oldest is served
  });

  it('a PUT whose answer was lost and that was sent again still counts as ours (same value)', async () => {
    let dropped = false;
    const ks = vault.keystore({
      clientOptions: {
        additionalPolicies: [
          {
            position: 'perCall',
            policy: {
              name: 'drop-first-put-answer',
              async sendRequest(request, next) {
                const response = await next(request);
                if (request.method === 'PUT' && response.status === 200 && !dropped) {
                  dropped = true;
                  throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
                }
                return response;
              },
            },
          },
        ],
      },
    });
    await ks.create('retried', utf8('mine'));
    expect(dropped).toBe(true);
    expect(vaultCalls(vault.emu).filter((c) => c === 'PUT /secrets/retried')).toHaveLength(2);
    expect(text(await ks.get('retried'))).toBe('mine');
  });

  it('refuses values Key Vault cannot hold before any call', async () => {
    const ks = vault.keystore();
    const notUtf8 = await expectKesError(ks.create('bin', Uint8Array.of(0xff, 0xfe)), 'CREATE_KEY_FAILED');
    expect((notUtf8.cause as Error).message).toBe('azure: Key Vault stores text only, and the value is not UTF-8');
    const big = await expectKesError(ks.create('big', utf8('x'.repeat(25_601))), 'CREATE_KEY_FAILED');
    expect((big.cause as Error).message).toContain('25600');
    expect(vault.emu.vault().requests()).toEqual([]);
    await ks.create('max', utf8('x'.repeat(25_600)));
  });

  it('a disabled secret holds its name: create gets KEY_EXISTS, get fails saying it is disabled', async () => {
    const ks = vault.keystore();
    await ks.create('off', utf8('v'));
    vault.emu.vault().setSecretEnabled('off', false);
    await expectKesError(ks.create('off', utf8('w')), 'KEY_EXISTS');
    const err = await expectKesError(ks.get('off'), 'READ_KEY_FAILED');
    expect((err.cause as Error).message).toMatch(/^azure: failed to read 'off': the secret is disabled in the vault/);
  });
});

describe('delete', () => {
  it('deletes and purges, so the name can be created again at once', async () => {
    const ks = vault.keystore();
    await ks.create('gone', utf8('v1'));
    await ks.delete('gone');
    await expectKesError(ks.get('gone'), 'KEY_NOT_FOUND');
    await expectKesError(ks.delete('gone'), 'KEY_NOT_FOUND');
    expect(vaultCalls(vault.emu)).toContain('DELETE /deletedsecrets/gone');
    await ks.create('gone', utf8('v2'));
    expect(text(await ks.get('gone'))).toBe('v2');
  });
});

describe('status and close', () => {
  it('status reads the probe secret (absent counts as healthy); close makes every call KEYSTORE_UNREACHABLE', async () => {
    const ks = vault.keystore();
    expect((await ks.status()).latencyMs).toBeGreaterThanOrEqual(0);
    expect(vaultCalls(vault.emu)).toEqual(['GET /secrets/kes-status-probe/']);
    await ks.close();
    await ks.close();
    for (const call of [() => ks.get('x'), () => ks.create('x', utf8('v')), () => ks.delete('x'), () => ks.list('', 0), () => ks.status()]) {
      const err = await expectKesError(call(), 'KEYSTORE_UNREACHABLE');
      expect(err.message).toBe('kes: keystore unreachable: azure: the keystore is closed');
    }
  });
});
