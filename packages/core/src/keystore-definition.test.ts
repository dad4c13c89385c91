import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKeystoreDefinition, isValidBlockPath, type KeystoreDefinition } from './keystore-definition.js';

const valid: KeystoreDefinition<{ path: string }> = {
  name: 'azure.keyvault',
  title: 'Azure Key Vault',
  validate: () => ({ ok: true, config: { path: 'x' } }),
  create: () => Promise.reject(new Error('unused')),
  describe: (c) => c.path,
};

describe('isKeystoreDefinition', () => {
  it('accepts a definition with or without describe', () => {
    expect(isKeystoreDefinition(valid)).toBe(true);
    const { describe: _d, ...rest } = valid;
    expect(isKeystoreDefinition(rest)).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'fs'],
    ['no name', { ...valid, name: undefined }],
    ['an empty name', { ...valid, name: '' }],
    ['an empty segment', { ...valid, name: 'azure..keyvault' }],
    ['no title', { ...valid, title: 1 }],
    ['no validate', { ...valid, validate: undefined }],
    ['no create', { ...valid, create: 'x' }],
    ['a describe that is no function', { ...valid, describe: 'x' }],
  ])('refuses %s', (_what, value) => {
    expect(isKeystoreDefinition(value)).toBe(false);
  });

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.anything(), (v) => typeof isKeystoreDefinition(v) === 'boolean'));
  });
});

describe('isValidBlockPath', () => {
  it.each(['fs', 'azure.keyvault', 'a.b.c'])('accepts %s', (p) => expect(isValidBlockPath(p)).toBe(true));
  it.each(['', '.', 'a.', '.a', 'a..b', ' a', 'a .b'])('refuses %j', (p) => expect(isValidBlockPath(p)).toBe(false));
  it('accepts exactly the dot-joined non-empty, untrimmed-free segments (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z_]{1,8}$/), { minLength: 1, maxLength: 4 }), (segments) => {
        expect(isValidBlockPath(segments.join('.'))).toBe(true);
      }),
    );
  });
});
