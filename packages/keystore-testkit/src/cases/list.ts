import type { Keystore } from '@kes/core';
import { expect } from 'vitest';
import { storedKeyLike } from '../assertions.js';
import type { ContractGroup } from './contract-case.js';

/** Created in this (unsorted) order; byte order is {@link SORTED}. `-` < digits < letters, unlike locale order. */
const NAMES = ['b', 'a-1', 'a0', 'a', 'aa', '0', '10', '9'];
const SORTED = ['0', '10', '9', 'a', 'a-1', 'a0', 'aa', 'b'];

async function fill(ks: Keystore, names: readonly string[]): Promise<void> {
  for (const name of names) await ks.create(name, storedKeyLike(name));
}

/**
 * Follows `continueAt` from page size 1 upwards: each page of size k must be exactly the k names discovered so far.
 * @returns the names in the order they were discovered.
 */
async function walk(ks: Keystore, prefix: string): Promise<string[]> {
  const first = await ks.list(prefix, 1);
  const seen = [...first.names];
  let next = first.continueAt;
  for (let size = 2; next !== ''; size++) {
    if (size > 10_000) throw new Error('list never reported the end (continueAt stayed non-empty)');
    expect(seen, `continueAt '${next}' repeats a name`).not.toContain(next);
    seen.push(next);
    const page = await ks.list(prefix, size);
    expect(page.names, `page of ${size} with prefix '${prefix}'`).toEqual(seen);
    next = page.continueAt;
  }
  return seen;
}

export const listGroup: ContractGroup = {
  title: 'list',
  capability: 'list',
  cases: [
    {
      title: 'an empty store lists nothing, whatever the prefix and limit',
      async run(ks) {
        for (const [prefix, limit] of [['', 0], ['', 10], ['', -1], ['a', 1]] as const) {
          expect(await ks.list(prefix, limit)).toEqual({ names: [], continueAt: '' });
        }
      },
    },
    {
      title: 'names come back sorted in byte order; limit <= 0 means "a whole default page"',
      async run(ks) {
        await fill(ks, NAMES);
        for (const limit of [0, -1]) expect(await ks.list('', limit)).toEqual({ names: SORTED, continueAt: '' });
      },
    },
    {
      title: 'a prefix selects the names that start with it',
      async run(ks) {
        await fill(ks, NAMES);
        expect(await ks.list('a', 0)).toEqual({ names: ['a', 'a-1', 'a0', 'aa'], continueAt: '' });
        expect(await ks.list('a-', 0)).toEqual({ names: ['a-1'], continueAt: '' });
        expect(await ks.list('1', 0)).toEqual({ names: ['10'], continueAt: '' });
        expect(await ks.list('aa', 0)).toEqual({ names: ['aa'], continueAt: '' });
        expect(await ks.list('c', 0)).toEqual({ names: [], continueAt: '' });
        expect(await ks.list('ab', 0)).toEqual({ names: [], continueAt: '' });
      },
    },
    {
      title: 'limit cuts a page and continueAt names the first name of the next page ("" at the end)',
      async run(ks) {
        await fill(ks, NAMES);
        expect(await ks.list('', 3)).toEqual({ names: ['0', '10', '9'], continueAt: 'a' });
        expect(await ks.list('', 7)).toEqual({ names: SORTED.slice(0, 7), continueAt: 'b' });
        expect(await ks.list('', 8)).toEqual({ names: SORTED, continueAt: '' });
        expect(await ks.list('', 100)).toEqual({ names: SORTED, continueAt: '' });
        expect(await ks.list('a', 2)).toEqual({ names: ['a', 'a-1'], continueAt: 'a0' });
        expect(await ks.list('a', 4)).toEqual({ names: ['a', 'a-1', 'a0', 'aa'], continueAt: '' });
      },
    },
    {
      title: 'walking the pages collects every name exactly once, in order (with and without prefix)',
      async run(ks) {
        await fill(ks, NAMES);
        expect(await walk(ks, '')).toEqual(SORTED);
        expect(await walk(ks, 'a')).toEqual(['a', 'a-1', 'a0', 'aa']);
      },
    },
    {
      title: 'list reflects creates and deletes',
      async run(ks) {
        await fill(ks, ['x1', 'x2']);
        await ks.delete('x1');
        await ks.create('x3', storedKeyLike('x3'));
        expect(await ks.list('x', 0)).toEqual({ names: ['x2', 'x3'], continueAt: '' });
      },
    },
  ],
};

const MANY = Array.from({ length: 1030 }, (_, i) => `k${String(i).padStart(4, '0')}`);

export const listPageCapGroup: ContractGroup = {
  title: 'list page cap',
  capability: 'listPageCap',
  timeoutMs: 120_000,
  cases: [
    {
      title: 'limit <= 0 caps a page at 1024 names; larger explicit limits are honoured',
      async run(ks) {
        for (let i = 0; i < MANY.length; i += 50) {
          await Promise.all(MANY.slice(i, i + 50).map((name) => ks.create(name, storedKeyLike(name))));
        }
        for (const limit of [0, -1]) {
          expect(await ks.list('', limit)).toEqual({ names: MANY.slice(0, 1024), continueAt: 'k1024' });
        }
        expect(await ks.list('k10', 0)).toEqual({ names: MANY.slice(1000), continueAt: '' });
        expect(await ks.list('', 1030)).toEqual({ names: MANY, continueAt: '' });
      },
    },
  ],
};
