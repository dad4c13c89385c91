import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKey, createCertificateForApiKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kesRequest, type ClientCert } from './testing/kes-request.js';
import { writeServerCertificate } from './testing/server-files.js';
import { runToExit, spawnServer } from './testing/spawn-server.js';

let dir: string;
let app: ApiKey;
let appCert: ClientCert;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-config-mode-'));
  writeServerCertificate(dir);
  app = ApiKey.generate();
  appCert = await createCertificateForApiKey(app);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const config = (allow: string[]) => `address: 127.0.0.1:0
admin:
  identity: disabled
tls:
  key: server.key
  cert: server.crt
policy:
  my-app:
    allow:
${allow.map((a) => `    - ${a}`).join('\n')}
    identities:
    - \${APP_IDENTITY}
log:
  audit: off
keys:
- name: boot-key
keystore:
  fs:
    path: ./keys
unknown-field: ignored
`;

describe('kes server --config (end to end)', () => {
  it('runs the config: fs keystore, keys created at start, policies; SIGHUP reloads and keeps the old config on error', async () => {
    await writeFile(join(dir, 'kes.yml'), config(['/v1/key/create/app-*', '/v1/status']));
    const server = await spawnServer(['--config', 'kes.yml', '--auth', 'off'], { cwd: dir, env: { APP_IDENTITY: app.identity } });
    try {
      const out = server.stdout();
      expect(out).toMatch(/^KMS\s+Filesystem: \.\/keys$/m);
      expect(out).toMatch(/^Admin\s+<disabled>$/m);
      expect(out).toMatch(/^API\s+· https:\/\/127\.0\.0\.1:\d+$/m);
      expect(out).toMatch(/^Logs\s+error=stderr level=INFO\n\s+audit=off$/m);
      expect(server.stderr()).toContain("Warning: '--auth' is deprecated and ignored");
      expect(server.stderr()).toContain("unknown-field: unknown top-level field 'unknown-field' is ignored");
      expect(await readdir(join(dir, 'keys'))).toEqual(['boot-key']);

      expect((await kesRequest(server.port, 'POST', '/v1/key/create/app-1', appCert)).status).toBe(200);
      expect((await kesRequest(server.port, 'GET', '/v1/key/describe/app-1', appCert)).status).toBe(403);

      await writeFile(join(dir, 'kes.yml'), config(['/v1/key/create/app-*', '/v1/key/describe/*', '/v1/status']));
      server.proc.kill('SIGHUP');
      await server.waitFor(/Configuration reloaded/);
      expect((await kesRequest(server.port, 'GET', '/v1/key/describe/app-1', appCert)).status).toBe(200);

      const broken = `${config(['/v1/status'])}cache:\n  expiry:\n    any: -1m\n`;
      await writeFile(join(dir, 'kes.yml'), broken);
      server.proc.kill('SIGHUP');
      const failed = await server.waitFor(/reload failed[^\n]*\n[\s\S]*?invalid cache expiry[^\n]*/);
      const line = broken.split('\n').findIndex((l) => l.includes('any: -1m')) + 1;
      expect(failed[0]).toContain(`kes.yml:${line}: cache.expiry.any: kesconf: invalid cache expiry '-1m0s'`);
      expect((await kesRequest(server.port, 'GET', '/v1/key/describe/app-1', appCert)).status).toBe(200);

      expect(await server.stop('SIGTERM')).toBe(0);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('KES_SERVER_ADDR and --addr override the config address', async () => {
    await writeFile(join(dir, 'addr.yml'), config(['/v1/status']).replace('address: 127.0.0.1:0', 'address: 127.0.0.1:1'));
    const server = await spawnServer(['--config=addr.yml', '--addr', '127.0.0.1:0'], { cwd: dir, env: { APP_IDENTITY: app.identity, KES_SERVER_ADDR: '127.0.0.1:2' } });
    try {
      expect(server.port).not.toBe(1);
      expect((await kesRequest(server.port, 'GET', '/v1/status', appCert)).status).toBe(200);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('refuses the Azure tutorial config with empty credentials: one error naming the three lines (exit 1)', async () => {
    await writeFile(
      join(dir, 'azure.yml'),
      'admin:\n  identity: disabled\ntls:\n  key: server.key\n  cert: server.crt\nkeystore:\n  azure:\n    keyvault:\n      endpoint: "https://kes-test-1.vault.azure.net"\n      credentials:\n        tenant_id: ""\n        client_id: ""\n        client_secret: ""\n',
    );
    const run = await runToExit(['--config', 'azure.yml'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error: 1 problem in azure.yml:');
    expect(run.stderr).toContain(
      'azure.yml:10: keystore.azure.keyvault.credentials: tenant_id, client_id and client_secret are empty (see tenant_id in line 11, client_id in line 12, client_secret in line 13)',
    );
    expect(run.stderr).toContain('hint: ');
    expect(run.stdout).toBe('');
  });

  it('a missing config file is a clear error (exit 1)', async () => {
    const run = await runToExit(['--config', 'nope.yml'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cannot read config file 'nope.yml': no such file");
  });

  it('a listen error stops the start (exit 1)', async () => {
    await writeFile(join(dir, 'first.yml'), config(['/v1/status']));
    const first = await spawnServer(['--config', 'first.yml'], { cwd: dir, env: { APP_IDENTITY: app.identity } });
    try {
      await writeFile(join(dir, 'busy.yml'), config(['/v1/status']).replace('127.0.0.1:0', `127.0.0.1:${first.port}`));
      const run = await runToExit(['--config', 'busy.yml'], { cwd: dir, env: { APP_IDENTITY: app.identity } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/EADDRINUSE/);
    } finally {
      await first.stop('SIGKILL');
    }
  });
});
