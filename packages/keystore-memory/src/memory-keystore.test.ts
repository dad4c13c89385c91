import { isKesError } from '@kes/core';
import { describeKeystore } from '@kes/keystore-testkit';
import { describe, expect, it } from 'vitest';
import { keystoreDefinition } from './definition.js';
import { MemoryKeystore } from './memory-keystore.js';

describeKeystore('memory', { create: () => new MemoryKeystore() });

describe('MemoryKeystore specifics', () => {
  it('reports 1 ms latency like KES MemKeyStore', async () => {
    expect(await new MemoryKeystore().status()).toEqual({ latencyMs: 1 });
  });

  it('rejects every call after close with KEYSTORE_UNREACHABLE, and close stays idempotent', async () => {
    const ks = new MemoryKeystore();
    await ks.create('k', Uint8Array.of(1));
    await ks.close();
    const calls = [ks.get('k'), ks.create('k2', Uint8Array.of(1)), ks.delete('k'), ks.list('', 0), ks.status()];
    for (const call of calls) {
      const err = await call.then(() => undefined, (e: unknown) => e);
      expect(isKesError(err, 'KEYSTORE_UNREACHABLE')).toBe(true);
      expect((err as Error).message).toBe('kes: keystore unreachable: memory: keystore is closed');
    }
    await expect(ks.close()).resolves.toBeUndefined();
  });

  it('accepts any name (names are validated by the server, not by this store)', async () => {
    const ks = new MemoryKeystore();
    for (const name of ['', 'a/b', '.hidden', 'ü']) {
      await ks.create(name, Uint8Array.of(7));
      expect(await ks.get(name)).toEqual(Uint8Array.of(7));
    }
  });

  it('returns plain Uint8Arrays even when given a Buffer', async () => {
    const ks = new MemoryKeystore();
    await ks.create('k', Buffer.from('abc'));
    const out = await ks.get('k');
    expect(Buffer.isBuffer(out)).toBe(false);
    expect(out).toEqual(new Uint8Array([97, 98, 99]));
  });
});

describe('memory keystoreDefinition', () => {
  it('accepts an empty block, warns about unknown fields, refuses non-mappings', async () => {
    expect(keystoreDefinition.name).toBe('memory');
    expect(keystoreDefinition.validate(null)).toEqual({ ok: true, config: {} });
    expect(keystoreDefinition.validate({})).toEqual({ ok: true, config: {} });
    const warned = keystoreDefinition.validate({ size: 3 });
    expect(warned.ok && warned.warnings?.map((w) => w.path)).toEqual([['size']]);
    expect(keystoreDefinition.validate('yes').ok).toBe(false);
    const ks = await keystoreDefinition.create({}, { cwd: '/', warn: () => undefined });
    expect(ks).toBeInstanceOf(MemoryKeystore);
  });
});
