import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsKeystore } from './fs-keystore.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kes-fs-compat-'));
  dirs.push(dir);
  return dir;
}

/** Minimal proto3 wire encoding helpers, enough to build a KeyVersion by hand (spec §5.6). */
const varint = (n: bigint): number[] => {
  const out: number[] = [];
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) byte |= 0x80;
    out.push(byte);
  } while (n > 0n);
  return out;
};
const field = (no: number, payload: number[]): number[] => [(no << 3) | 2, ...varint(BigInt(payload.length)), ...payload];
const scalar = (no: number, n: bigint): number[] => [no << 3, ...varint(n)];
const bytes = (from: number, length: number) => Array.from({ length }, (_, i) => (from + i) & 0xff);

/** base64(protobuf KeyVersion{ Key{32 bytes, Type=AES256}, HMACKey{32 bytes, Hash=SHA256}, CreatedAt, CreatedBy }). */
function upstreamProtobufValue(): Buffer {
  const keyVersion = [
    ...field(1, [...field(1, bytes(1, 32)), ...scalar(2, 1n)]),
    ...field(2, [...field(1, bytes(101, 32)), ...scalar(2, 1n)]),
    ...field(3, [...scalar(1, 1_706_000_000n), ...scalar(2, 123_456_789n)]),
    ...field(4, [...Buffer.from('3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22', 'ascii')]),
  ];
  return Buffer.from(Buffer.from(keyVersion).toString('base64'), 'ascii');
}

/** A pre-2024 JSON key as KES v0.22.3 … 2024-01-11 wrote it. */
const upstreamLegacyJson = Buffer.from(
  `{"bytes":"${Buffer.from(bytes(7, 32)).toString('base64')}","algorithm":"AES256-GCM_SHA256",` +
    `"created_at":"2023-05-17T09:30:00.123456789Z","created_by":"4f1c0a3f2e","version":"v1"}`,
  'utf8',
);

describe('FsKeystore and upstream KES key directories', () => {
  it('reads key files written by upstream KES byte for byte (protobuf-base64, legacy JSON, with a trailing newline)', async () => {
    const dir = await tempDir();
    const files: Record<string, Buffer> = {
      'minio-default-key': upstreamProtobufValue(),
      'legacy-key': upstreamLegacyJson,
      'legacy-key-nl': Buffer.concat([upstreamLegacyJson, Buffer.from('\n')]),
    };
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(dir, name), content, { mode: 0o600 });
      await chmod(join(dir, name), 0o600);
    }
    const ks = new FsKeystore(dir);
    expect((await ks.list('', 0)).names).toEqual(['legacy-key', 'legacy-key-nl', 'minio-default-key']);
    for (const [name, content] of Object.entries(files)) {
      expect(Buffer.from(await ks.get(name)).equals(content), name).toBe(true);
    }
    expect(upstreamProtobufValue().toString('ascii')).toMatch(/^CiQKIA[A-Za-z0-9+/]+={0,2}$/);
  });

  it('writes files upstream KES reads: same name, same bytes, mode 0600, no extra entries', async () => {
    const dir = await tempDir();
    const ks = new FsKeystore(dir);
    const value = upstreamProtobufValue();
    await ks.create('minio-default-key', value);
    await ks.create('legacy-key', upstreamLegacyJson);
    expect((await readdir(dir)).sort()).toEqual(['legacy-key', 'minio-default-key']);
    expect((await readFile(join(dir, 'minio-default-key'))).equals(value)).toBe(true);
    expect((await readFile(join(dir, 'legacy-key'))).equals(upstreamLegacyJson)).toBe(true);
    expect((await stat(join(dir, 'minio-default-key'))).mode & 0o777).toBe(0o600);
  });

  it('deletes upstream-written keys and reports a second delete as KEY_NOT_FOUND (like upstream os.Remove)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'old-key'), upstreamLegacyJson, { mode: 0o600 });
    const ks = new FsKeystore(dir);
    await ks.delete('old-key');
    expect(await readdir(dir)).toEqual([]);
    await expect(ks.delete('old-key')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
  });
});
