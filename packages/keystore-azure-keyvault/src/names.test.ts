import { isValidName } from '@kes/core';
import { expectKesError } from '@kes/keystore-testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestVault, vaultCalls, type TestVault } from './emulator-harness.spec.js';
import { assertStorableKeyName, isStorableKeyName } from './names.js';
import { clientFor } from './sdk-client.spec.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const nameChars = fc.constantFrom(...'abcXYZ019-_'.split(''));

describe('isStorableKeyName', () => {
  it('is a valid KES name without "_" (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: nameChars, maxLength: 90 }), (name) => {
        expect(isStorableKeyName(name)).toBe(isValidName(name) && !name.includes('_'));
      }),
    );
  });

  it('never throws for arbitrary input, and assert agrees with it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (value) => {
        const ok = isStorableKeyName(value as string);
        if (ok) expect(() => assertStorableKeyName(value as string)).not.toThrow();
        else expect(() => assertStorableKeyName(value as string)).toThrow(/azure: key name/);
      }),
    );
  });

  it('names a value that cannot become text without throwing anything but its own error', () => {
    expect(() => assertStorableKeyName({ toString: [] } as unknown as string)).toThrow("azure: key name '(object)' is not a valid key name");
  });

  it('says why a name with "_" is refused', () => {
    expect(() => assertStorableKeyName('my_key')).toThrow(
      "azure: key name 'my_key' cannot be stored in Azure Key Vault: secret names may contain only letters, digits and '-', not '_'",
    );
    expect(() => assertStorableKeyName('-x')).toThrow("azure: key name '-x' is not a valid key name");
  });
});

describe('names against the vault', () => {
  let vault: TestVault;
  beforeAll(async () => {
    vault = await startTestVault();
  });
  afterAll(() => vault.stop());
  beforeEach(() => vault.reset());

  it('every operation refuses a name with "_" with INVALID_KEY_CONFIG before any call to the vault', async () => {
    const ks = vault.keystore();
    for (const call of [() => ks.create('my_key', utf8('v')), () => ks.get('my_key'), () => ks.delete('my_key')]) {
      const err = await expectKesError(call(), 'INVALID_KEY_CONFIG');
      expect(err.message).toContain("not '_'");
    }
    expect(vault.emu.vault().requests()).toEqual([]);
  });

  it('the storable edge names round-trip and list in byte order', async () => {
    const ks = vault.keystore();
    const names = ['a', '7', 'k'.repeat(80), 'my-key', '0123456789', 'MyKey-2024-v1', 'x---y'];
    for (const name of names) await ks.create(name, utf8(`v:${name}`));
    for (const name of names) expect(new TextDecoder().decode(await ks.get(name))).toBe(`v:${name}`);
    expect((await ks.list('', 0)).names).toEqual(['0123456789', '7', 'MyKey-2024-v1', 'a', 'k'.repeat(80), 'my-key', 'x---y']);
  });

  it('names differing only in case are one secret: the second create gets KEY_EXISTS and the first value stays', async () => {
    const ks = vault.keystore();
    await ks.create('key', utf8('lower'));
    await expectKesError(ks.create('Key', utf8('upper')), 'KEY_EXISTS');
    await expectKesError(ks.create('KEY', utf8('upper')), 'KEY_EXISTS');
    expect(new TextDecoder().decode(await ks.get('key'))).toBe('lower');
    expect(new TextDecoder().decode(await ks.get('KEY'))).toBe('lower'); // documented: reads are case-insensitive too
    expect((await ks.list('', 0)).names).toEqual(['key']);
    expect(vaultCalls(vault.emu).filter((c) => c.startsWith('PUT'))).toEqual(['PUT /secrets/key']);
  });

  it('secrets of other applications that are no valid key names are not listed', async () => {
    const ks = vault.keystore();
    await ks.create('ours', utf8('v'));
    const sdk = clientFor(vault.emu);
    await sdk.setSecret('-leading-dash', 'foreign');
    await sdk.setSecret('n'.repeat(100), 'foreign');
    await sdk.setSecret('foreign-ok', 'foreign');
    expect((await ks.list('', 0)).names).toEqual(['foreign-ok', 'ours']);
  });
});
