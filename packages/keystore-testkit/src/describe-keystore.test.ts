import { Errors, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';
import { describe, expect, it } from 'vitest';
import { CONTRACT_GROUPS } from './cases/index.js';
import { describeKeystore } from './describe-keystore.js';

/** Ways a keystore can break the contract; the suite must catch each one. */
type Flaw =
  | 'overwrites'
  | 'shares-output'
  | 'shares-input'
  | 'ignores-view-offset'
  | 'unsorted-list'
  | 'locale-sorted-list'
  | 'no-continue-at'
  | 'ignores-limit'
  | 'no-page-cap'
  | 'empty-for-missing'
  | 'plain-error-for-missing'
  | 'delete-missing-fails-oddly'
  | 'racy-create'
  | 'nan-latency'
  | 'close-twice-throws'
  | 'ignores-abort'
  | 'text-values'
  | 'case-insensitive'
  | 'delete-noop';

/** A small Map-backed keystore written from the contract alone, optionally with one deliberate flaw. */
class ReferenceKeystore implements Keystore {
  readonly #map = new Map<string, Uint8Array>();
  #closed = false;
  constructor(private readonly flaw?: Flaw) {}

  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.#check(signal);
    const key = this.#key(name);
    if (this.#map.has(key) && this.flaw !== 'overwrites') throw Errors.keyExists();
    if (this.flaw === 'racy-create') await new Promise((r) => setTimeout(r, 1));
    let stored: Uint8Array = new Uint8Array(value);
    if (this.flaw === 'shares-input') stored = value;
    if (this.flaw === 'ignores-view-offset') stored = new Uint8Array(value.buffer.slice(0));
    if (this.flaw === 'text-values') stored = new TextEncoder().encode(new TextDecoder().decode(value));
    this.#map.set(key, stored);
  }

  async get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    this.#check(signal);
    const value = this.#map.get(this.#key(name));
    if (value === undefined) {
      if (this.flaw === 'empty-for-missing') return new Uint8Array(0);
      if (this.flaw === 'plain-error-for-missing') throw new Error('key does not exist');
      throw Errors.keyNotFound();
    }
    return this.flaw === 'shares-output' ? value : new Uint8Array(value);
  }

  async delete(name: string, signal?: AbortSignal): Promise<void> {
    this.#check(signal);
    if (this.flaw === 'delete-noop') return;
    if (!this.#map.delete(this.#key(name))) {
      throw this.flaw === 'delete-missing-fails-oddly' ? Errors.keystoreUnavailable() : Errors.keyNotFound();
    }
  }

  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    this.#check(signal);
    let names = [...this.#map.keys()].filter((n) => n.startsWith(prefix));
    if (this.flaw === 'locale-sorted-list') names.sort((a, b) => a.localeCompare(b));
    else if (this.flaw !== 'unsorted-list') names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    let size = limit > 0 ? limit : 1024;
    if (this.flaw === 'ignores-limit' || (this.flaw === 'no-page-cap' && limit <= 0)) size = names.length;
    const page = names.slice(0, size);
    return { names: page, continueAt: this.flaw === 'no-continue-at' ? '' : (names[size] ?? '') };
  }

  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    this.#check(signal);
    return { latencyMs: this.flaw === 'nan-latency' ? Number.NaN : 0.25 };
  }

  async close(): Promise<void> {
    if (this.#closed && this.flaw === 'close-twice-throws') throw new Error('already closed');
    this.#closed = true;
  }

  #check(signal?: AbortSignal): void {
    if (this.flaw !== 'ignores-abort') signal?.throwIfAborted();
    if (this.#closed) throw Errors.keystoreUnreachable('closed');
  }

  #key(name: string): string {
    return this.flaw === 'case-insensitive' ? name.toLowerCase() : name;
  }
}

describeKeystore('reference map', { create: () => new ReferenceKeystore() });

let cleaned = 0;
describeKeystore('reference map with switched-off groups', {
  create: () => new ReferenceKeystore(),
  capabilities: { listPageCap: { skip: 'shown as skipped with this reason' }, largeValues: true },
  cleanup: () => {
    cleaned++;
  },
});

describe('describeKeystore itself', () => {
  it('ran cleanup after every test of the previous suite', () => {
    const enabled = CONTRACT_GROUPS.filter((g) => g.capability !== 'listPageCap');
    expect(cleaned).toBe(enabled.reduce((n, g) => n + g.cases.length, 0));
  });

  it('rejects unknown capabilities and skips without a reason', () => {
    const create = () => new ReferenceKeystore();
    expect(() => describeKeystore('x', { create, capabilities: { bogus: true } as never })).toThrow(/unknown capability 'bogus'/);
    expect(() => describeKeystore('x', { create, capabilities: { list: { skip: ' ' } } })).toThrow(/must be true or/);
  });
});

/** Runs every case against a fresh flawed store; returns the titles of the cases that failed. */
async function failingCases(flaw: Flaw): Promise<string[]> {
  const failed: string[] = [];
  for (const group of CONTRACT_GROUPS) {
    for (const c of group.cases) {
      const ks = new ReferenceKeystore(flaw);
      try {
        await c.run(ks);
      } catch {
        failed.push(c.title);
      }
    }
  }
  return failed;
}

describe('the contract cases catch broken keystores', () => {
  const expectations: Array<[Flaw, RegExp]> = [
    ['overwrites', /taken name throws KEY_EXISTS/],
    ['shares-output', /copied in and out/],
    ['shares-input', /copied in and out/],
    ['ignores-view-offset', /view into a larger buffer/],
    ['unsorted-list', /sorted in byte order/],
    ['locale-sorted-list', /listed in byte order/],
    ['no-continue-at', /continueAt names the first name/],
    ['ignores-limit', /limit cuts a page/],
    ['no-page-cap', /caps a page at 1024/],
    ['empty-for-missing', /missing name throws KEY_NOT_FOUND/],
    ['plain-error-for-missing', /missing name throws KEY_NOT_FOUND/],
    ['delete-missing-fails-oddly', /delete of a missing name/],
    ['racy-create', /exactly one wins/],
    ['nan-latency', /finite latency/],
    ['close-twice-throws', /idempotent/],
    ['ignores-abort', /already aborted signal/],
    ['text-values', /all 256 byte values/],
    ['case-insensitive', /k and K/],
    ['delete-noop', /delete removes the key/],
  ];
  it('the reference keystore passes every case', async () => {
    const failed: string[] = [];
    for (const group of CONTRACT_GROUPS) {
      for (const c of group.cases) await c.run(new ReferenceKeystore()).catch(() => failed.push(c.title));
    }
    expect(failed).toEqual([]);
  });
  for (const [flaw, expected] of expectations) {
    it(`detects the flaw '${flaw}'`, async () => {
      const failed = await failingCases(flaw);
      expect(failed.some((title) => expected.test(title)), `failed cases: ${failed.join(' | ')}`).toBe(true);
    }, 30_000);
  }
});
