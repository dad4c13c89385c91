import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const children: ChildProcess[] = [];
let stateDir = '';

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

/** Starts `src/main.ts --json` like `nx serve` does (tsx, @kes/source condition) and reads its JSON line. */
function start(args: string[]): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kes/source', 'src/main.ts', ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve({ child, info: JSON.parse(out.slice(0, nl)) as Record<string, string> });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('standalone emulator (src/main.ts --json)', () => {
  it('prints exactly the six fields, serves the real SDK, and keeps CA, key and credentials across restarts', async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'akv-emu-main-'));
    const first = await start(['--json', '--state-dir', stateDir]);
    expect(Object.keys(first.info).sort()).toEqual(['authorityHost', 'caFile', 'clientId', 'clientSecret', 'tenantId', 'vaultUrl']);
    const ca = await readFile(first.info['caFile'] ?? '', 'utf8');
    expect(ca).toContain('BEGIN CERTIFICATE');
    const { vaultUrl, authorityHost, tenantId, clientId, clientSecret } = first.info as Record<string, string>;
    const credential = new ClientSecretCredential(tenantId ?? '', clientId ?? '', clientSecret ?? '', {
      authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca },
    });
    const client = new SecretClient(vaultUrl ?? '', credential, { disableChallengeResourceVerification: true, tlsOptions: { ca } });
    await client.setSecret('standalone', 'works');
    expect((await client.getSecret('standalone')).value).toBe('works');
    const token = (await credential.getToken('https://vault.azure.net/.default')).token;
    expect(await stop(first.child)).toBe(0);

    const second = await start(['--json=true', '--state-dir', stateDir]);
    expect(second.info).toMatchObject({ tenantId, clientId, clientSecret, caFile: first.info['caFile'] });
    expect(await readFile(second.info['caFile'] ?? '', 'utf8')).toBe(ca);
    // A token cached by a client before the restart is still valid (same signing key, §4.6 pitfall 6).
    const again = new SecretClient(second.info['vaultUrl'] ?? '', { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_000_000 }) }, {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca },
    });
    await again.setSecret('after-restart', 'ok');
    expect(await stop(second.child)).toBe(0);
  }, 30_000);
});
