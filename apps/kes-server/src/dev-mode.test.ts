import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKey, createCertificateForApiKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kesRequest } from './testing/kes-request.js';
import { runToExit, spawnServer } from './testing/spawn-server.js';

let certDir: string;
beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'kes-dev-certs-'));
});
afterAll(() => rm(certDir, { recursive: true, force: true }));

describe('kes server without a config (development mode, end to end)', () => {
  it('starts with an in-memory keystore, a self-signed certificate and a fresh admin API key shown in the banner', async () => {
    const server = await spawnServer(['--addr', '127.0.0.1:0'], { env: { KES_DEV_CERT_DIR: certDir } });
    try {
      const out = server.stdout();
      expect(out).toMatch(/^Version\s+0\.0\.0/m);
      expect(out).toMatch(/^Runtime\s+node v\d+/m);
      expect(out).toMatch(/^License\s+/m);
      expect(out).toMatch(/^KMS\s+In-memory \(volatile\)/m);
      expect(out).toMatch(/^Docs\s+https:\/\//m);
      expect(out).toMatch(/^Logs\s+error=stderr level=INFO\n\s+audit=stdout level=INFO$/m);
      expect(out).toMatch(/^MLock\s+off: Node\.js cannot lock process memory/m);
      const apiKey = ApiKey.parse(/^API Key\s+(kes:v1:\S+)$/m.exec(out)![1]!);
      expect(out).toMatch(new RegExp(`^Admin\\s+${apiKey.identity}$`, 'm'));
      expect(server.port).toBeGreaterThan(0);
      expect(server.stderr()).toContain(`TLS certificate written to ${join(certDir, 'server.crt')}`);

      // The printed API key is the admin: it may do everything.
      const admin = await createCertificateForApiKey(apiKey);
      expect((await kesRequest(server.port, 'GET', '/v1/status', admin)).status).toBe(200);
      expect((await kesRequest(server.port, 'POST', '/v1/key/create/dev-key', admin)).status).toBe(200);
      const dek = await kesRequest(server.port, 'POST', '/v1/key/generate/dev-key', admin, '{}');
      expect(dek.status).toBe(200);
      expect(JSON.parse(dek.body)).toHaveProperty('ciphertext');
      // Any other client has no policy.
      const stranger = await createCertificateForApiKey(ApiKey.generate());
      expect((await kesRequest(server.port, 'GET', '/v1/status', stranger)).status).toBe(403);

      expect(await server.stop('SIGTERM')).toBe(0);
      expect(server.stderr()).toContain('Received SIGTERM: shutting down');
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('reuses the stored certificate on the next start, prints a new API key, says what --mlock cannot do, and stops on SIGINT', async () => {
    const before = await readFile(join(certDir, 'server.crt'), 'utf8');
    const server = await spawnServer(['--dev', '--mlock'], { env: { KES_DEV_CERT_DIR: certDir, KES_SERVER_ADDR: '127.0.0.1:0' } });
    try {
      expect(server.stderr()).toContain(`TLS certificate reused from ${join(certDir, 'server.crt')}`);
      expect(await readFile(join(certDir, 'server.crt'), 'utf8')).toBe(before);
      expect(server.stdout()).toMatch(/^MLock\s+requested, but not available: nothing is pinned in RAM\.$/m);
      expect(await server.stop('SIGINT')).toBe(0);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('refuses --dev together with --config, and unknown flags, with the usage (exit 2)', async () => {
    const both = await runToExit(['--dev', '--config', 'x.yml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("Error: '--dev' and '--config' cannot be used together");
    expect(both.stderr).toContain('Usage:');
    const unknown = await runToExit(['--port', '1']);
    expect(unknown.code).toBe(2);
  });
});
