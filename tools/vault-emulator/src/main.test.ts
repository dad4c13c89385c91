import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('standalone emulator (serve target)', () => {
  it('prints one JSON line with how to reach it, answers, writes the TLS files, and stops on SIGTERM', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'vault-emulator-main-'));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kes/source', 'src/main.ts', '--json=true', '--tls', '--role-id', 'rid', '--state-dir', stateDir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const info = JSON.parse(line) as Record<string, string>;
      expect(Object.keys(info).sort()).toEqual(['address', 'approleMount', 'caFile', 'clientCertFile', 'clientKeyFile', 'kubernetesRole', 'namespaces', 'roleId', 'rootToken', 'secretId'].sort());
      expect(info['roleId']).toBe('rid');
      expect(info['address']).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = await readFile(info['caFile']!, 'utf8');
      expect(ca).toContain('BEGIN CERTIFICATE');
      const status = await new Promise<number | undefined>((resolve, reject) =>
        request(`${info['address']}/v1/sys/health`, { ca, agent: false }, (res) => (res.resume(), resolve(res.statusCode))).on('error', reject).end(),
      );
      expect(status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 60_000);
});
