import { link, mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KesError } from '@kes/core';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFsIo, type FsIo } from './fs-io.js';
import { FsKeystore } from './fs-keystore.js';
import { removeStaleTempFiles, STALE_TEMP_AGE_MS } from './fs-temp-sweep.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kes-fs-sweep-'));
  dirs.push(dir);
  return dir;
}
/** Sets the modification time of `path` to `ms` milliseconds ago. */
async function age(path: string, ms: number): Promise<void> {
  const t = new Date(Date.now() - ms);
  await utimes(path, t, t);
}
const value = new TextEncoder().encode('a complete stored key value');

describe('temporary files left by a killed create', () => {
  it('STALE_TEMP_AGE_MS is some minutes, far above the time a create holds its temporary file', () => {
    expect(STALE_TEMP_AGE_MS).toBe(10 * 60_000);
  });

  it('are removed on open when older than STALE_TEMP_AGE_MS; young ones, lookalikes and keys stay', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'key'), value);
    await writeFile(join(dir, '.kes-tmp-1-old'), 'half a val'); // a create killed 11 minutes ago
    await age(join(dir, '.kes-tmp-1-old'), STALE_TEMP_AGE_MS + 60_000);
    await writeFile(join(dir, '.kes-tmp-2-young'), 'being written'); // maybe another live process right now
    await age(join(dir, '.kes-tmp-2-young'), STALE_TEMP_AGE_MS - 60_000);
    await mkdir(join(dir, '.kes-tmp-dir'));
    await symlink(join(dir, 'key'), join(dir, '.kes-tmp-link'));
    await writeFile(join(dir, '.other'), 'x');
    for (const name of ['.kes-tmp-dir', '.other']) await age(join(dir, name), 2 * STALE_TEMP_AGE_MS);
    const ks = await FsKeystore.open(dir);
    expect((await readdir(dir)).sort()).toEqual(['.kes-tmp-2-young', '.kes-tmp-dir', '.kes-tmp-link', '.other', 'key']);
    expect((await ks.list('', 0)).names, 'temporary files are never listed').toEqual(['key']);
    expect(await ks.get('key')).toEqual(value);
  });

  it('are removed on the first call of a keystore made with new, once', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.kes-tmp-1-old'), 'x');
    await age(join(dir, '.kes-tmp-1-old'), STALE_TEMP_AGE_MS + 1_000);
    const ks = new FsKeystore(dir);
    expect(await readdir(dir)).toEqual(['.kes-tmp-1-old']); // the constructor does no I/O
    expect((await ks.list('', 0)).names).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('removing a stale temporary name that is an extra link of a key file leaves the key intact', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'k'), value);
    await link(join(dir, 'k'), join(dir, '.kes-tmp-9-linked')); // the directory moved away before the temp name was removed
    await age(join(dir, 'k'), STALE_TEMP_AGE_MS + 1_000);
    expect(await removeStaleTempFiles(nodeFsIo, dir)).toEqual(['.kes-tmp-9-linked']);
    expect(await new FsKeystore(dir).get('k')).toEqual(value);
  });

  it('a creator that stalled longer than the age and lost its temporary file fails cleanly, storing nothing', async () => {
    const dir = await tempDir();
    const io: FsIo = {
      ...nodeFsIo,
      async writeNewFile(path, data) {
        await nodeFsIo.writeNewFile(path, data);
        await age(path, STALE_TEMP_AGE_MS + 1_000); // the stall
        await removeStaleTempFiles(nodeFsIo, dir); // another process starting meanwhile
      },
    };
    const err = (await new FsKeystore(dir, { io }).create('k', value).catch((e: unknown) => e)) as KesError;
    expect(err.code).toBe('CREATE_KEY_FAILED');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a directory that cannot be read is no error of the sweep', async () => {
    const missing = join(await tempDir(), 'missing');
    expect(await removeStaleTempFiles(nodeFsIo, missing)).toEqual([]);
  });
});
