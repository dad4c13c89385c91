import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyNotFound, listedNames, secretData, storedText, transitField } from './kv-answers.js';
import { deletePath, entryPath, isStorableName, listPath, readPath, transitPath, type KvLayout } from './kv-paths.js';
import { VaultRequestError } from './vault-request-error.js';

const v1: KvLayout = { engine: 'kv', version: 'v1', prefix: 'tenant-1' };
const v2: KvLayout = { engine: 'secret/kes', version: 'v2', prefix: '' };

describe('K/V paths', () => {
  it('puts the key below engine[/data|/metadata]/prefix', () => {
    expect(entryPath(v1, 'my-key')).toBe('kv/tenant-1/my-key');
    expect(readPath(v1, 'my-key')).toBe('kv/tenant-1/my-key');
    expect(deletePath(v1, 'my-key')).toBe('kv/tenant-1/my-key');
    expect(listPath(v1)).toBe('kv/tenant-1/');
    expect(entryPath(v2, 'my-key')).toBe('secret/kes/data/my-key');
    expect(readPath(v2, 'my-key')).toBe('secret/kes/data/my-key?version=1');
    expect(deletePath(v2, 'my-key')).toBe('secret/kes/metadata/my-key');
    expect(listPath(v2)).toBe('secret/kes/metadata/');
    expect(transitPath('transit', 'encrypt', 'kes key')).toBe('transit/encrypt/kes%20key');
  });

  it('storable names are one segment; every storable name maps to exactly one encoded last segment (property)', () => {
    for (const bad of ['', '.', '..', 'a/b']) expect(isStorableName(bad)).toBe(false);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter(isStorableName), fc.constantFrom(v1, v2), (name, layout) => {
        const path = entryPath(layout, name);
        return !path.includes('//') && path.split('/').at(-1) === encodeURIComponent(name);
      }),
    );
  });
});

describe('K/V answers', () => {
  it('reads the value of v1 (data.<name>) and v2 (data.data.<name>) answers', () => {
    expect(storedText('v1', 'k', { data: { k: 'value' } })).toBe('value');
    expect(storedText('v2', 'k', { data: { data: { k: 'value' }, metadata: {} } })).toBe('value');
    expect(storedText('v2', 'k', { data: { data: null, metadata: { deletion_time: 'x' } } })).toBeUndefined();
    expect(() => storedText('v2', 'k', { data: { data: { other: 'x' } } })).toThrow(/no text field 'k'/);
    expect(() => storedText('v1', 'k', { data: { k: 42 } })).toThrow(/no text field/);
    expect(() => secretData('v2', { data: { k: 'v1-style' } })).toThrow(/invalid K\/V v2 answer/);
  });

  it('tells "absent" 404s from misconfiguration 404s', () => {
    const notFound = (body: unknown, errors: string[] = []) => new VaultRequestError('GET kv/x', 404, errors, undefined, body, 'vault: GET kv/x: HTTP 404');
    expect(classifyNotFound('v1', notFound({ errors: [] }))).toBe('absent');
    expect(classifyNotFound('v2', notFound(''))).toBe('absent');
    expect(classifyNotFound('v2', notFound({ data: { data: null, metadata: { destroyed: true } } }))).toBe('absent');
    const route = classifyNotFound('v2', notFound({ errors: ['no handler for route "x"'] }, ['no handler for route "x"']));
    expect(route).toBeInstanceOf(Error);
    expect((route as Error).message).toMatch(/check engine/);
    const wrongVersion = classifyNotFound('v1', notFound({ data: null, warnings: ['Invalid path for a versioned K/V secrets engine.'] }));
    expect((wrongVersion as Error).message).toMatch(/set version: v2/);
  });

  it('lists names without folders and rejects malformed list answers', () => {
    expect(listedNames({ data: { keys: ['a', 'dir/', 'b'] } })).toEqual(['a', 'b']);
    expect(() => listedNames({ data: { keys: ['a', 1] } })).toThrow(/data.keys/);
    expect(() => listedNames({ data: null })).toThrow(/data.keys/);
    expect(transitField({ data: { ciphertext: 'vault:v1:x' } }, 'ciphertext')).toBe('vault:v1:x');
    expect(() => transitField({ data: {} }, 'plaintext')).toThrow(/data.plaintext/);
  });

  it('answer readers only ever throw Errors, never anything else (property)', () => {
    const readers = [
      (b: unknown) => storedText('v1', 'k', b),
      (b: unknown) => storedText('v2', 'k', b),
      (b: unknown) => listedNames(b),
      (b: unknown) => transitField(b, 'plaintext'),
    ];
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom(...readers), (body, read) => {
        try {
          const out = read(body);
          return out === undefined || typeof out === 'string' || Array.isArray(out);
        } catch (err) {
          return err instanceof Error;
        }
      }),
    );
  });
});
