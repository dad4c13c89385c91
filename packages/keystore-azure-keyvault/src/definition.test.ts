import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@kes/azure-keyvault-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAzureKeyVaultConfig, type AzureKeyVaultConfig } from './config.js';
import { keystoreDefinition } from './definition.js';

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ vaults: ['def-vault'] });
  dir = await mkdtemp(join(tmpdir(), 'kes-azure-def-'));
  await writeFile(join(dir, 'emulator-ca.pem'), emu.caPem);
  await writeFile(join(dir, 'not-a-ca.pem'), 'hello');
});
afterAll(async () => {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The config block the tutorial's "local" section writes for the emulator. */
const block = (overrides: Record<string, unknown> = {}) => ({
  endpoint: emu.vaultUrl,
  credentials: { tenant_id: emu.tenantId, client_id: emu.clientId, client_secret: emu.clientSecret },
  authority_host: emu.authorityHost,
  ca_file: 'emulator-ca.pem',
  disable_challenge_resource_verification: true,
  ...overrides,
});

function validated(b: unknown): AzureKeyVaultConfig {
  const r = keystoreDefinition.validate(b);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe('keystoreDefinition.create', () => {
  it('builds a working keystore from the emulator config (authority_host, ca_file, no challenge verification)', async () => {
    const warnings: string[] = [];
    const ks = await keystoreDefinition.create(validated(block()), { cwd: dir, warn: (m) => warnings.push(m) });
    await ks.create('from-config', new TextEncoder().encode('v'));
    expect(new TextDecoder().decode(await ks.get('from-config'))).toBe('v');
    expect((await ks.status()).latencyMs).toBeGreaterThanOrEqual(0);
    expect(warnings).toEqual(['azure.keyvault: challenge resource verification is disabled (disable_challenge_resource_verification); use this only with an emulator']);
    await ks.close();
  });

  it('with challenge verification on (the default), a localhost vault is refused with the SDK’s explanation', async () => {
    const ks = await keystoreDefinition.create(validated(block({ disable_challenge_resource_verification: false })), { cwd: dir, warn: () => undefined });
    const err = await ks.status().catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
    expect(((err as Error).cause as Error).message).toMatch(/challenge resource 'vault.azure.net' does not match the requested domain/);
  });

  it('without ca_file the emulator certificate is not trusted, and the error says what to set', async () => {
    const ks = await keystoreDefinition.create(validated(block({ ca_file: undefined })), { cwd: dir, warn: () => undefined });
    const err = (await ks.status().catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
    expect((err.cause as Error).message).toMatch(/set ca_file/);
  });

  it('a wrong client secret is reported as an authentication failure', async () => {
    const b = block({ credentials: { tenant_id: emu.tenantId, client_id: emu.clientId, client_secret: 'wrong' } });
    const ks = await keystoreDefinition.create(validated(b), { cwd: dir, warn: () => undefined });
    const err = (await ks.status().catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
    expect((err.cause as Error).message).toMatch(/could not get a token for the vault: .*AADSTS7000215/);
  });

  it('refuses a ca_file that cannot be read or holds no certificate, naming it', async () => {
    const ctx = { cwd: dir, warn: () => undefined };
    await expect(keystoreDefinition.create(validated(block({ ca_file: 'missing.pem' })), ctx)).rejects.toThrow(/^azure.keyvault: cannot read ca_file 'missing.pem': ENOENT/);
    await expect(keystoreDefinition.create(validated(block({ ca_file: 'not-a-ca.pem' })), ctx)).rejects.toThrow("azure.keyvault: ca_file 'not-a-ca.pem' holds no PEM certificate");
  });

  it('validates the same block the server config loader hands over', () => {
    expect(validateAzureKeyVaultConfig(block()).ok).toBe(true);
  });
});
