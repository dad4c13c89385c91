import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKesError } from '@kes/core';
import { describeKeystore } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keystoreDefinition } from './definition.js';
import { JsonFileKeystore } from './json-file-keystore.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-example-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// The whole Keystore contract, exactly as a third party runs it against its backend.
describeKeystore('example JSON file', { create: () => JsonFileKeystore.open(join(dir, `store-${n++}`, 'keys.json')) });

describe('JsonFileKeystore specifics', () => {
  it('keeps keys across instances in one JSON file', async () => {
    const file = join(dir, 'persist', 'keys.json');
    const a = new JsonFileKeystore(file);
    await a.create('k', Uint8Array.of(1, 2, 255));
    await a.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, keys: { k: 'AQL/' } });
    const b = new JsonFileKeystore(file);
    expect(await b.get('k')).toEqual(Uint8Array.of(1, 2, 255));
  });

  it('reports a file that is not a key file as unavailable, not as a missing key', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ not json');
    const err = await new JsonFileKeystore(file).get('k').catch((e: unknown) => e);
    expect(isKesError(err, 'KEYSTORE_UNAVAILABLE')).toBe(true);
  });
});

describe('keystoreDefinition', () => {
  it('requires file and warns about unknown fields', () => {
    expect(keystoreDefinition.validate(null)).toMatchObject({ ok: false, problems: [{ path: ['file'], message: 'file is required' }] });
    expect(keystoreDefinition.validate({ file: '' }).ok).toBe(false);
    expect(keystoreDefinition.validate({ file: 'k.json', other: 1 })).toEqual({
      ok: true,
      config: { file: 'k.json' },
      warnings: [{ path: ['other'], message: "unknown field 'other' is ignored", hint: 'this backend only has file' }],
    });
  });

  it('creates the store relative to the server’s working directory', async () => {
    const ks = await keystoreDefinition.create({ file: 'rel/keys.json' }, { cwd: dir, warn: () => {} });
    await ks.create('x', Uint8Array.of(9));
    expect(JSON.parse(await readFile(join(dir, 'rel', 'keys.json'), 'utf8')).keys).toEqual({ x: 'CQ==' });
    await ks.close();
  });
});
