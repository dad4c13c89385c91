import type { KeystoreDefinition } from '@kes/core';
import { describe, expect, it } from 'vitest';
import { KeystoreRegistry, isNotFound } from './registry.js';

const definition = (name: string): KeystoreDefinition => ({
  name,
  title: name.toUpperCase(),
  validate: (block) => ({ ok: true, config: block }),
  create: () => Promise.reject(new Error('not here')),
});

const notFound = (specifier: string) => Object.assign(new Error(`Cannot find package '${specifier}' imported from /x/y.js`), { code: 'ERR_MODULE_NOT_FOUND' });

describe('KeystoreRegistry', () => {
  it('imports a lazily registered package only when its block is resolved, once', async () => {
    const imported: string[] = [];
    const registry = new KeystoreRegistry(async (s) => (imported.push(s), { keystoreDefinition: definition('acme.store') }));
    registry.registerLazy({ name: 'acme.store', title: 'ACME', packageName: '@acme/store', fallbackValidate: () => ({ ok: true, config: {} }) });
    expect(imported).toEqual([]);
    expect(registry.names()).toEqual(['acme.store']);
    const a = await registry.resolve('acme.store');
    const b = await registry.resolve('acme.store');
    expect(a).toBe(b);
    expect(a.title).toBe('ACME.STORE');
    expect(imported).toEqual(['@acme/store']);
  });

  it('falls back to spec validation and an "not available" create when the package is missing', async () => {
    const registry = new KeystoreRegistry(async (s) => {
      throw notFound(s);
    });
    registry.registerLazy({ name: 'x', title: 'X', packageName: '@kes/x', fallbackValidate: () => ({ ok: false, problems: [{ path: ['a'], message: 'a is required' }] }) });
    const d = await registry.resolve('x');
    expect(d.validate({})).toEqual({ ok: false, problems: [{ path: ['a'], message: 'a is required' }] });
    await expect(d.create({}, { cwd: '.', warn: () => {} })).rejects.toThrow("keystore 'x' (X) is not available in this build: its package @kes/x is not installed");
  });

  it('does not hide a broken package (a missing dependency of it is not "not installed")', async () => {
    const registry = new KeystoreRegistry(async () => {
      throw notFound('@azure/identity');
    });
    registry.registerLazy({ name: 'x', title: 'X', packageName: '@kes/x', fallbackValidate: () => ({ ok: true, config: {} }) });
    await expect(registry.resolve('x')).rejects.toThrow(/@kes\/x failed to load: Cannot find package '@azure\/identity'/);
  });

  it('refuses a package whose definition has another name', async () => {
    const registry = new KeystoreRegistry(async () => ({ default: definition('other') }));
    registry.registerLazy({ name: 'x', title: 'X', packageName: '@kes/x', fallbackValidate: () => ({ ok: true, config: {} }) });
    await expect(registry.resolve('x')).rejects.toThrow(/does not export a keystore definition named 'x'/);
  });

  it('register() replaces a lazy entry and checks the shape', async () => {
    const registry = new KeystoreRegistry(async () => {
      throw new Error('never imported');
    });
    registry.registerLazy({ name: 'fs', title: 'FS', packageName: '@kes/fs', fallbackValidate: () => ({ ok: true, config: {} }) });
    const d = definition('fs');
    registry.register(d);
    expect(await registry.resolve('fs')).toBe(d);
    expect(() => registry.register({ name: 'x' } as unknown as KeystoreDefinition)).toThrow(TypeError);
    expect(() => registry.registerLazy({ name: 'a..b', title: '', fallbackValidate: () => ({ ok: true, config: {} }) })).toThrow(TypeError);
    await expect(registry.resolve('nope')).rejects.toThrow("unknown keystore block 'nope'");
  });

  it('loadModule resolves paths against cwd and picks default, keystoreDefinition or a named export', async () => {
    const seen: string[] = [];
    const registry = new KeystoreRegistry(async (s) => {
      seen.push(s);
      return { default: definition('d'), keystoreDefinition: definition('k'), custom: definition('c'), bad: 42 };
    });
    expect((await registry.loadModule('./m.js', undefined, '/srv')).name).toBe('d');
    expect((await registry.loadModule('@acme/m', 'custom', '/srv')).name).toBe('c');
    await expect(registry.loadModule('@acme/m', 'bad', '/srv')).rejects.toThrow("its export 'bad' is");
    expect(seen).toEqual(['file:///srv/m.js', '@acme/m', '@acme/m']);
  });
});

describe('isNotFound', () => {
  it('matches only the specifier itself', () => {
    expect(isNotFound(notFound('@kes/x'), '@kes/x')).toBe(true);
    expect(isNotFound(notFound('@kes/y'), '@kes/x')).toBe(false);
    expect(isNotFound(new Error("Cannot find module '/srv/m.js' imported from /a"), 'file:///srv/m.js')).toBe(true);
    expect(isNotFound(new Error('Failed to load url @kes/x (resolved id: @kes/x)'), '@kes/x')).toBe(true);
    expect(isNotFound(new Error('SyntaxError'), '@kes/x')).toBe(false);
  });
});
