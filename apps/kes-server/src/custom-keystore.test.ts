import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKey, createCertificateForApiKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kesRequest } from './testing/kes-request.js';
import { writeServerCertificate } from './testing/server-files.js';
import { runToExit, spawnServer } from './testing/spawn-server.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-module-'));
  writeServerCertificate(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const config = (moduleBlock: string) =>
  `address: 127.0.0.1:0\nadmin:\n  identity: \${ADMIN}\ntls:\n  key: server.key\n  cert: server.crt\nkeystore:\n  module:\n${moduleBlock}`;

describe('a third-party keystore loaded through keystore.module (examples/keystore-example)', () => {
  it('serves keys from the example backend named in the config file', async () => {
    const admin = ApiKey.generate();
    await writeFile(join(dir, 'kes.yml'), config('    name: kes-keystore-example\n    config:\n      file: ./data/keys.json\n'));
    const server = await spawnServer(['--config', 'kes.yml'], { cwd: dir, env: { ADMIN: admin.identity } });
    try {
      expect(server.stdout()).toMatch(/^KMS\s+JSON file \(example backend\): \.\/data\/keys\.json$/m);
      const cert = await createCertificateForApiKey(admin);
      expect((await kesRequest(server.port, 'POST', '/v1/key/create/from-module', cert)).status).toBe(200);
      const stored = JSON.parse(await readFile(join(dir, 'data', 'keys.json'), 'utf8')) as { keys: Record<string, string> };
      expect(Object.keys(stored.keys)).toEqual(['from-module']);
      const enc = await kesRequest(server.port, 'POST', '/v1/key/encrypt/from-module', cert, JSON.stringify({ plaintext: 'aGVsbG8=' }));
      expect(enc.status).toBe(200);
      const dec = await kesRequest(server.port, 'POST', '/v1/key/decrypt/from-module', cert, JSON.stringify({ ciphertext: JSON.parse(enc.body).ciphertext }));
      expect(JSON.parse(dec.body)).toEqual({ plaintext: 'aGVsbG8=' });
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('reports the module’s own validation problems with their config lines', async () => {
    await writeFile(join(dir, 'bad.yml'), config('    name: kes-keystore-example\n    config:\n      fil: ./keys.json\n'));
    const run = await runToExit(['--config', 'bad.yml'], { cwd: dir, env: { ADMIN: 'disabled' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bad.yml:10: keystore.module.config.file: file is required');
  });

  it('reports a module that is not installed', async () => {
    await writeFile(join(dir, 'missing.yml'), config('    name: kes-keystore-does-not-exist\n'));
    const run = await runToExit(['--config', 'missing.yml'], { cwd: dir, env: { ADMIN: 'disabled' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("keystore.module.name: cannot load keystore module: module 'kes-keystore-does-not-exist' was not found");
  });
});
