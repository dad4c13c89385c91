import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keystoreDefinition } from './definition.js';
import { FsKeystore } from './fs-keystore.js';

describe('fs keystoreDefinition', () => {
  it('selects the KES block `fs` and requires a non-empty path', () => {
    expect(keystoreDefinition.name).toBe('fs');
    expect(keystoreDefinition.validate({ path: '/var/kes/keys' })).toEqual({ ok: true, config: { path: '/var/kes/keys' } });
    for (const block of [null, {}, { path: '' }, { path: 42 }, 'dir', []]) {
      const result = keystoreDefinition.validate(block);
      expect(result.ok, JSON.stringify(block)).toBe(false);
      if (!result.ok) expect(result.problems[0]?.path).toEqual(['path']);
    }
    const warned = keystoreDefinition.validate({ path: 'keys', pth: 'x' });
    expect(warned.ok && warned.warnings?.map((w) => w.path)).toEqual([['pth']]);
    expect(keystoreDefinition.describe?.({ path: 'keys' })).toBe('keys');
  });

  it('creates the directory relative to the context cwd at start-up', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'kes-fs-def-'));
    try {
      const ks = await keystoreDefinition.create({ path: 'keys' }, { cwd, warn: () => undefined });
      expect(ks).toBeInstanceOf(FsKeystore);
      expect((await stat(join(cwd, 'keys'))).isDirectory()).toBe(true);
      await ks.close();
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
