import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KesError } from '@kes/core';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFsIo, type FsIo } from './fs-io.js';
import { FsKeystore } from './fs-keystore.js';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
/** A fresh key directory `<root>/keys` (so that it can be renamed within its root). */
async function keyDir(): Promise<{ root: string; dir: string; away: string }> {
  const root = await mkdtemp(join(tmpdir(), 'kes-fs-create-'));
  roots.push(root);
  return { root, dir: join(root, 'keys'), away: join(root, 'keys.away') };
}
const ioError = (code: string) => Object.assign(new Error(`${code}: injected`), { code });
const value = new TextEncoder().encode('a complete stored key value');
const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: unknown) => e as KesError);

describe('the answer of create matches what is stored', () => {
  it('the key directory moved away right after the link: the create succeeds, durably, and the key is there', async () => {
    const { dir, away } = await keyDir();
    let synced = 0;
    const io: FsIo = {
      ...nodeFsIo,
      async link(from, to) {
        await nodeFsIo.link(from, to);
        await rename(dir, away); // a "blip": the directory is moved between the link and its fsync
      },
      async openDir(path) {
        const handle = await nodeFsIo.openDir(path);
        return {
          async sync() {
            await handle.sync();
            synced++;
          },
          close: () => handle.close(),
        };
      },
    };
    const ks = await FsKeystore.open(dir, { io });
    await ks.create('k', value);
    expect(synced, 'the entry was synced through the directory handle').toBe(1);
    await rename(away, dir);
    const healthy = new FsKeystore(dir);
    expect(await healthy.get('k')).toEqual(value);
    expect((await failure(healthy.create('k', value))).code).toBe('KEY_EXISTS');
  });

  it('the key directory moved away before the link: the create fails and no key appears', async () => {
    const { dir, away } = await keyDir();
    const io: FsIo = {
      ...nodeFsIo,
      async writeNewFile(path, data) {
        await nodeFsIo.writeNewFile(path, data);
        await rename(dir, away);
      },
    };
    const ks = await FsKeystore.open(dir, { io });
    expect((await failure(ks.create('k', value))).code).toBe('CREATE_KEY_FAILED');
    await rename(away, dir);
    const healthy = new FsKeystore(dir);
    expect((await failure(healthy.get('k'))).code).toBe('KEY_NOT_FOUND');
    expect((await healthy.list('', 0)).names, 'the temporary file left in the moved directory is never listed').toEqual([]);
    await healthy.create('k', value);
    expect(await healthy.get('k')).toEqual(value);
  });

  it('the key directory is gone before the create starts: CREATE_KEY_FAILED and nothing written', async () => {
    const { dir, away } = await keyDir();
    const ks = await FsKeystore.open(dir);
    await rename(dir, away);
    expect((await failure(ks.create('k', value))).code).toBe('CREATE_KEY_FAILED');
    expect(await readdir(away)).toEqual([]);
  });

  it('fsync fails and removing the key fails too: CREATE_KEY_FAILED says the key may exist; a retry answers KEY_EXISTS', async () => {
    const { dir } = await keyDir();
    const io: FsIo = {
      ...nodeFsIo,
      unlink: async (path) => (path.endsWith('/k') ? Promise.reject(ioError('EACCES')) : nodeFsIo.unlink(path)),
      async openDir(path) {
        const handle = await nodeFsIo.openDir(path);
        return { sync: async () => Promise.reject(ioError('EIO')), close: () => handle.close() };
      },
    };
    const ks = await FsKeystore.open(dir, { io });
    const err = await failure(ks.create('k', value));
    expect(err.code).toBe('CREATE_KEY_FAILED');
    expect((err.cause as Error).message).toBe(
      "fs: key 'k' was written, but its directory entry could not be made durable (EIO: injected) and removing it again " +
        "failed (EACCES: injected): the key may exist, and a retry may answer 'key already exists'",
    );
    const healthy = new FsKeystore(dir);
    expect(await healthy.get('k'), 'what remains is the complete value').toEqual(value);
    expect((await failure(healthy.create('k', value))).code).toBe('KEY_EXISTS');
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('an abort after the link is not honoured: the key exists, so the create succeeds', async () => {
    const { dir } = await keyDir();
    const controller = new AbortController();
    const io: FsIo = {
      ...nodeFsIo,
      async link(from, to) {
        await nodeFsIo.link(from, to);
        controller.abort(new Error('client went away'));
      },
    };
    await new FsKeystore(dir, { io }).create('k', value, controller.signal);
    expect(await new FsKeystore(dir).get('k')).toEqual(value);
  });
});
