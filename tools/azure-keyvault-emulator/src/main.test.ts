import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { spawnStandalone, type StandaloneProcess } from '@kes/emulator-support';

const main = join(import.meta.dirname, 'main.ts');
const running: StandaloneProcess[] = [];
let stateDir = '';

afterAll(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

/** Starts `src/main.ts` like `nx serve` does and reads its JSON line. */
async function start(args: string[]): Promise<{ process: StandaloneProcess; info: Record<string, string> }> {
  const p = spawnStandalone(main, args);
  running.push(p);
  return { process: p, info: JSON.parse(await p.firstLine) as Record<string, string> };
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
    expect(await first.process.stop()).toBe(0);

    const second = await start(['--json=true', '--state-dir', stateDir]);
    expect(second.info).toMatchObject({ tenantId, clientId, clientSecret, caFile: first.info['caFile'] });
    expect(await readFile(second.info['caFile'] ?? '', 'utf8')).toBe(ca);
    // A token cached by a client before the restart is still valid (same signing key, §4.6 pitfall 6).
    const again = new SecretClient(second.info['vaultUrl'] ?? '', { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_000_000 }) }, {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca },
    });
    await again.setSecret('after-restart', 'ok');
    expect(await second.process.stop()).toBe(0);
  }, 30_000);
});
