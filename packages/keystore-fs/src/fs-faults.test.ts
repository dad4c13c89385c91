import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KesError } from '@kes/core';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFsIo, type FsIo } from './fs-io.js';
import { FsKeystore } from './fs-keystore.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kes-fs-faults-'));
  dirs.push(dir);
  return dir;
}
const ioError = (code: string) => Object.assign(new Error(`${code}: injected`), { code });
const value = new TextEncoder().encode('a complete stored key value');

/** Asserts the create failed as CREATE_KEY_FAILED, left no file, and that a retry with a healthy io succeeds. */
async function expectCleanFailure(dir: string, io: FsIo): Promise<void> {
  const err = (await new FsKeystore(dir, { io }).create('k', value).catch((e: unknown) => e)) as KesError;
  expect(err.code).toBe('CREATE_KEY_FAILED');
  expect(await readdir(dir), 'files left behind').toEqual([]);
  const healthy = new FsKeystore(dir);
  expect((await healthy.get('k').catch((e: KesError) => e)) as KesError).toMatchObject({ code: 'KEY_NOT_FOUND' });
  await healthy.create('k', value);
  expect(await healthy.get('k')).toEqual(value);
}

describe('FsKeystore after a failure in the middle of create', () => {
  it('removes a half-written temporary file (write fails after the file was created)', async () => {
    const dir = await tempDir();
    await expectCleanFailure(dir, {
      ...nodeFsIo,
      async writeNewFile(path, data) {
        await writeFile(path, data.subarray(0, 5), { flag: 'wx', mode: 0o600 }); // half a value, then "ENOSPC"
        throw ioError('ENOSPC');
      },
    });
  });

  it('never exposes the key name while the value is being written', async () => {
    const dir = await tempDir();
    let seenDuringWrite: string[] = [];
    const ks = new FsKeystore(dir, {
      io: {
        ...nodeFsIo,
        async writeNewFile(path, data) {
          await nodeFsIo.writeNewFile(path, data);
          seenDuringWrite = await readdir(dir);
        },
      },
    });
    await ks.create('k', value);
    expect(seenDuringWrite).toHaveLength(1);
    expect(seenDuringWrite[0]).toMatch(/^\.kes-tmp-/);
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('removes the key again when fsync of the directory fails after the link', async () => {
    const dir = await tempDir();
    await expectCleanFailure(dir, {
      ...nodeFsIo,
      async openDir(path) {
        const handle = await nodeFsIo.openDir(path);
        return { sync: async () => Promise.reject(ioError('EIO')), close: () => handle.close() };
      },
    });
  });

  it('removes the temporary file when link fails for another reason', async () => {
    const dir = await tempDir();
    await expectCleanFailure(dir, { ...nodeFsIo, link: async () => Promise.reject(ioError('EIO')) });
  });

  it('falls back to an exclusive write of the key file where hard links are unsupported', async () => {
    const dir = await tempDir();
    const io: FsIo = { ...nodeFsIo, link: async () => Promise.reject(ioError('EPERM')) };
    const ks = new FsKeystore(dir, { io });
    await ks.create('k', value);
    expect(await readdir(dir)).toEqual(['k']);
    expect(await ks.get('k')).toEqual(value);
    const err = (await ks.create('k', Uint8Array.of(1)).catch((e: unknown) => e)) as KesError;
    expect(err.code).toBe('KEY_EXISTS');
    expect(await ks.get('k')).toEqual(value);
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('rejects with the abort reason and leaves nothing when aborted during the write', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const reason = new Error('client went away');
    const ks = new FsKeystore(dir, {
      io: {
        ...nodeFsIo,
        async writeNewFile(path, data) {
          await nodeFsIo.writeNewFile(path, data);
          controller.abort(reason);
        },
      },
    });
    await expect(ks.create('k', value, controller.signal)).rejects.toBe(reason);
    expect(await readdir(dir)).toEqual([]);
  });

  it('maps other I/O errors of get, delete and list to the catalog with the cause', async () => {
    const dir = await tempDir();
    const broken = ioError('EIO');
    const ks = new FsKeystore(dir, {
      io: {
        ...nodeFsIo,
        readFileCapped: async () => Promise.reject(broken),
        unlink: async () => Promise.reject(broken),
        readdir: async () => Promise.reject(broken),
      },
    });
    const codes = [];
    for (const call of [ks.get('k'), ks.delete('k'), ks.list('', 0)]) {
      const err = (await call.catch((e: unknown) => e)) as KesError;
      expect(err.cause).toBe(broken);
      codes.push(err.code);
    }
    expect(codes).toEqual(['READ_KEY_FAILED', 'DELETE_KEY_FAILED', 'LIST_KEYS_FAILED']);
  });
});
