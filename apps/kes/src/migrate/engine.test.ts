import { Errors, listPage, type Keystore, type ListResult } from '@kes/core';
import { MemoryKeystore } from '@kes/keystore-memory';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrateKeys, type Outcome } from './engine.js';
import { listAllNames } from './list-all.js';

const bytes = (s: string) => new TextEncoder().encode(s);

async function store(entries: Record<string, string>): Promise<MemoryKeystore> {
  const ks = new MemoryKeystore();
  for (const [name, value] of Object.entries(entries)) await ks.create(name, bytes(value));
  return ks;
}

async function dump(ks: Keystore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await listAllNames(ks)) out[name] = new TextDecoder().decode(await ks.get(name));
  return out;
}

/** A keystore that hands out at most `page` names per list call (like a paging backend). */
class PagingKeystore extends MemoryKeystore {
  constructor(private readonly page: number) {
    super();
  }
  override async list(prefix: string, _limit: number): Promise<ListResult> {
    const all = await super.list(prefix, Infinity);
    return listPage(all.names, prefix, this.page);
  }
}

describe('migrateKeys', () => {
  const SOURCE = { a: '1', b: '2', c: '3', d: '4' };

  it('copies, skips identical, and reports different values as conflicts (strict)', async () => {
    const source = await store(SOURCE);
    const target = await store({ b: '2', c: 'other' });
    const seen: Array<[string, Outcome]> = [];
    const r = await migrateKeys(source, target, { names: ['a', 'b', 'c', 'd'], existing: 'strict', concurrency: 2, onKey: (n, o) => seen.push([n, o]) });
    expect(r.counts).toEqual({ copied: 2, identical: 1, kept: 0, overwritten: 0, conflict: 1, failed: 0 });
    expect(r.problems).toEqual([{ name: 'c', outcome: 'conflict', message: expect.stringMatching(/different value; not overwritten \(use --force/) }]);
    expect(await dump(target)).toEqual({ a: '1', b: '2', c: 'other', d: '4' });
    expect(seen.sort()).toEqual([['a', 'copied'], ['b', 'identical'], ['c', 'conflict'], ['d', 'copied']]);
    expect(r.interrupted).toBe(false);
  });

  it('--merge keeps different values, --force overwrites them (and verifies)', async () => {
    const merged = await store({ c: 'other' });
    const m = await migrateKeys(await store(SOURCE), merged, { names: ['a', 'c'], existing: 'merge', concurrency: 1 });
    expect(m.counts).toMatchObject({ copied: 1, kept: 1, conflict: 0 });
    expect(await dump(merged)).toEqual({ a: '1', c: 'other' });
    const forced = await store({ c: 'other' });
    const f = await migrateKeys(await store(SOURCE), forced, { names: ['a', 'c'], existing: 'force', concurrency: 1 });
    expect(f.counts).toMatchObject({ copied: 1, overwritten: 1 });
    expect(await dump(forced)).toEqual({ a: '1', c: '3' });
  });

  it('reports failures: unreadable source, rejected write, and a target that returns something else', async () => {
    const source = await store(SOURCE);
    const target = new MemoryKeystore();
    const flaky: Keystore = Object.assign(Object.create(target) as Keystore, {
      create: (name: string, value: Uint8Array) => (name === 'b' ? Promise.reject(Errors.invalidKeyConfig('fs: key name contains invalid character')) : target.create(name, value)),
      get: async (name: string) => (name === 'c' ? bytes('corrupted') : target.get(name)),
    });
    const r = await migrateKeys(source, flaky, { names: ['a', 'b', 'c', 'zz'], existing: 'strict', concurrency: 3 });
    expect(r.counts).toMatchObject({ copied: 1, failed: 3 });
    expect(Object.fromEntries(r.problems.map((p) => [p.name, p.message]))).toEqual({
      b: 'cannot write it to the target: fs: key name contains invalid character',
      c: 'verification failed: the value read back from the target differs from the source',
      zz: 'deleted from the source during the migration',
    });
  });

  it('stops taking keys when interrupted and can be resumed to the same end state (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 30 }), fc.nat(30), async (entries, stopAfter) => {
        const source = await store(entries);
        const target = new MemoryKeystore();
        const names = Object.keys(entries).sort();
        const controller = new AbortController();
        let n = 0;
        const first = await migrateKeys(source, target, {
          names,
          existing: 'strict',
          concurrency: 1,
          signal: controller.signal,
          onKey: () => {
            if (++n >= stopAfter) controller.abort();
          },
        });
        expect(first.interrupted).toBe(first.processed < names.length);
        const second = await migrateKeys(source, target, { names, existing: 'strict', concurrency: 4 });
        expect(second.counts).toMatchObject({ identical: first.processed, copied: names.length - first.processed, conflict: 0, failed: 0 });
        expect(await dump(target)).toEqual(entries);
      }),
      { numRuns: 30 },
    );
  });
});

describe('listAllNames', () => {
  it('lists everything even when the backend returns small pages', async () => {
    const ks = new PagingKeystore(3);
    const names = Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, '0')}`).concat(['a', 'ab', 'abc', 'Z-1', '_x']);
    for (const name of names) await ks.create(name, bytes(name));
    expect(await listAllNames(ks)).toEqual([...names].sort());
    expect(await listAllNames(ks, 'k1')).toEqual(names.filter((n) => n.startsWith('k1')).sort());
  });
});
