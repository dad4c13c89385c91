import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKesError, type KesError } from '@kes/core';
import { describeKeystore } from '@kes/keystore-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { FS_MAX_VALUE_BYTES, FsKeystore } from './fs-keystore.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kes-fs-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: unknown) => e as KesError);

describeKeystore('fs', {
  create: async () => new FsKeystore(join(await tempDir(), 'keys')),
  cleanup: async (ks) => {
    const entries = await readdir(ks.dir);
    expect(entries.filter((e) => e.startsWith('.')), 'temporary files left behind').toEqual([]);
  },
});

describe('FsKeystore on disk', () => {
  it('creates the directory (0755, with parents) on first use, not in the constructor', async () => {
    const root = await tempDir();
    const dir = join(root, 'a', 'b', 'keys');
    const ks = new FsKeystore(dir);
    await expect(stat(dir)).rejects.toThrow();
    expect(await ks.list('', 0)).toEqual({ names: [], continueAt: '' });
    const reference = join(root, 'reference');
    await mkdir(reference, { mode: 0o755 }); // the same mode under the same umask
    expect((await stat(dir)).mode & 0o777).toBe((await stat(reference)).mode & 0o777);
    expect((await stat(join(root, 'a'))).isDirectory()).toBe(true);
  });

  it('stores one file per key: file name = key name, content = value bytes, mode 0600, nothing else', async () => {
    const dir = await tempDir();
    const ks = new FsKeystore(dir);
    const value = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    await ks.create('my-key', value);
    await ks.create('other_key', Uint8Array.of(0x41));
    expect((await readdir(dir)).sort()).toEqual(['my-key', 'other_key']);
    const info = await stat(join(dir, 'my-key'));
    expect(info.mode & 0o777).toBe(0o600);
    expect(info.size).toBe(300);
    const onDisk = await readFile(join(dir, 'my-key'));
    expect(new Uint8Array(onDisk)).toEqual(value);
  });

  it('refuses invalid names with KES text, before touching the disk', async () => {
    const root = await tempDir();
    const ks = new FsKeystore(join(root, 'keys'));
    for (const name of ['', '../x', '.hidden', 'a/b', 'a\\b', 'a\0b', '.', '..', 'my.key', '/abs']) {
      for (const call of [ks.create(name, Uint8Array.of(1)), ks.get(name), ks.delete(name)]) {
        const err = await failure(call);
        expect(isKesError(err, 'INVALID_KEY_CONFIG'), JSON.stringify(name)).toBe(true);
        expect(err.message).toBe('fs: key name contains invalid character');
      }
    }
    expect(await readdir(root)).toEqual([]); // not even the key directory was created, and nothing escaped
  });

  it('reads values up to exactly 1 MiB and refuses larger ones without reading them', async () => {
    const dir = await tempDir();
    const ks = new FsKeystore(dir);
    await writeFile(join(dir, 'max'), new Uint8Array(FS_MAX_VALUE_BYTES).fill(0x61));
    expect((await ks.get('max')).byteLength).toBe(FS_MAX_VALUE_BYTES);
    await writeFile(join(dir, 'over'), new Uint8Array(FS_MAX_VALUE_BYTES + 1));
    const err = await failure(ks.get('over'));
    expect(err.code).toBe('INVALID_STORED_KEY');
    expect(err.message).toBe("kes: invalid stored key: fs: value of key 'over' is larger than 1048576 bytes");
    await writeFile(join(dir, 'huge'), '');
    await truncate(join(dir, 'huge'), 8 * 1024 ** 3); // sparse 8 GiB: must be refused from its size alone
    expect((await failure(ks.get('huge'))).code).toBe('INVALID_STORED_KEY');
  });

  it('refuses to create values larger than 1 MiB and leaves nothing behind', async () => {
    const dir = await tempDir();
    const ks = new FsKeystore(dir);
    const err = await failure(ks.create('big', new Uint8Array(FS_MAX_VALUE_BYTES + 1)));
    expect(err.code).toBe('CREATE_KEY_FAILED');
    expect(await readdir(dir)).toEqual([]);
    await ks.create('big', new Uint8Array(FS_MAX_VALUE_BYTES));
    expect((await stat(join(dir, 'big'))).size).toBe(FS_MAX_VALUE_BYTES);
  });

  it('lists regular files with valid names only (no dot/temp files, directories, invalid names, dangling links)', async () => {
    const dir = await tempDir();
    const ks = new FsKeystore(dir);
    await ks.create('key-1', Uint8Array.of(1));
    await writeFile(join(dir, '.kes-tmp-123-abc'), 'partial');
    await writeFile(join(dir, '.hidden'), 'x');
    await writeFile(join(dir, 'name.with.dots'), 'x');
    await mkdir(join(dir, 'subdir'));
    await writeFile(join(dir, 'subdir', 'nested'), 'x');
    await symlink(join(dir, 'key-1'), join(dir, 'linked-key'));
    await symlink(join(dir, 'subdir'), join(dir, 'linked-dir'));
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(await ks.list('', 0)).toEqual({ names: ['key-1', 'linked-key'], continueAt: '' });
    expect(await ks.get('linked-key')).toEqual(Uint8Array.of(1));
  });

  it('treats a directory carrying a key name as absent', async () => {
    const dir = await tempDir();
    const ks = new FsKeystore(dir);
    await mkdir(join(dir, 'not-a-key'));
    expect((await failure(ks.get('not-a-key'))).code).toBe('KEY_NOT_FOUND');
    expect((await failure(ks.delete('not-a-key'))).code).toBe('KEY_NOT_FOUND');
    expect((await failure(ks.create('not-a-key', Uint8Array.of(1)))).code).toBe('KEY_EXISTS');
    expect((await stat(join(dir, 'not-a-key'))).isDirectory()).toBe(true);
  });

  it('lets concurrent creates on two instances sharing a directory produce exactly one winner', async () => {
    const dir = await tempDir();
    const a = new FsKeystore(dir);
    const b = new FsKeystore(dir);
    const values = Array.from({ length: 50 }, (_, i) => new TextEncoder().encode(`value-${i}`));
    const outcomes = await Promise.allSettled(values.map((v, i) => (i % 2 === 0 ? a : b).create('shared', v)));
    const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(isKesError(o.reason, 'KEY_EXISTS')).toBe(true);
    expect(await b.get('shared')).toEqual(values[winners[0]!]);
    expect(await readdir(dir)).toEqual(['shared']);
  });

  it('reports status from stat(dir): unreachable when the directory is gone or is a file', async () => {
    const root = await tempDir();
    const dir = join(root, 'keys');
    const ks = new FsKeystore(dir);
    const status = await ks.status();
    expect(status.latencyMs).toBeGreaterThanOrEqual(0);
    await rm(dir, { recursive: true });
    let err = await failure(ks.status());
    expect(err.code).toBe('KEYSTORE_UNREACHABLE');
    expect(err.message).toMatch(/^kes: keystore unreachable: fs: /);
    await writeFile(dir, 'a file');
    err = await failure(ks.status());
    expect(err.message).toBe(`kes: keystore unreachable: fs: '${dir}' is not a directory`);
  });

  it('open() prepares the directory at once and refuses a path that is a file', async () => {
    const root = await tempDir();
    const ks = await FsKeystore.open(join(root, 'keys'));
    expect((await stat(ks.dir)).isDirectory()).toBe(true);
    await writeFile(join(root, 'file'), 'x');
    const err = await failure(FsKeystore.open(join(root, 'file')));
    expect(err.code).toBe('KEYSTORE_UNREACHABLE');
    expect(err.message).toContain('is not a directory');
  });

  it('rejects every call after close with KEYSTORE_UNREACHABLE', async () => {
    const ks = new FsKeystore(await tempDir());
    await ks.create('k', Uint8Array.of(1));
    await ks.close();
    for (const call of [ks.get('k'), ks.create('j', Uint8Array.of(1)), ks.delete('k'), ks.list('', 0), ks.status()]) {
      const err = await failure(call);
      expect(err.message).toBe('kes: keystore unreachable: fs: keystore is closed');
    }
    await expect(ks.close()).resolves.toBeUndefined();
  });
});
