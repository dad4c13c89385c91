import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnStandalone } from '@kes/emulator-support';
import { describe, expect, it } from 'vitest';

describe('standalone emulator (serve target)', () => {
  it('prints one JSON line with how to reach it, answers, writes the TLS files, and stops on SIGTERM', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'vault-emulator-main-'));
    const p = spawnStandalone(join(import.meta.dirname, 'main.ts'), ['--json=true', '--tls', '--role-id', 'rid', '--state-dir', stateDir]);
    try {
      const info = JSON.parse(await p.firstLine) as Record<string, string>;
      expect(Object.keys(info).sort()).toEqual(['address', 'approleMount', 'caFile', 'clientCertFile', 'clientKeyFile', 'kubernetesRole', 'namespaces', 'roleId', 'rootToken', 'secretId'].sort());
      expect(info['roleId']).toBe('rid');
      expect(info['address']).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = await readFile(info['caFile']!, 'utf8');
      expect(ca).toContain('BEGIN CERTIFICATE');
      const status = await new Promise<number | undefined>((resolve, reject) =>
        request(`${info['address']}/v1/sys/health`, { ca, agent: false }, (res) => (res.resume(), resolve(res.statusCode))).on('error', reject).end(),
      );
      expect(status).toBe(200);
      expect(await p.stop()).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 60_000);
});
