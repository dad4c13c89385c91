/**
 * The server's config loader with the real azure.keyvault package (not the spec-only fallback): the block is
 * validated by @kes/keystore-azure-keyvault, problems come back with YAML lines, and `create` builds a working
 * keystore from the tutorial's emulator block.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@kes/azure-keyvault-emulator';
import { ConfigError, createKeystore, createKeystoreRegistry, parseConfig, type ConfigProblem } from '@kes/server/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureEmulator } from './azure-fixture.js';

const BASE = `admin:
  identity: disabled
tls:
  key: ./server.key
  cert: ./server.cert
keystore:
  azure:
    keyvault:
`;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

async function problemsOf(text: string, env: Record<string, string> = {}): Promise<ConfigProblem[]> {
  try {
    await parseConfig(text, { env, registry: createKeystoreRegistry() });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('the config was accepted');
}

describe('azure.keyvault through the server config loader and the real package', () => {
  it('the tutorial block with the three credential fields empty: ONE problem naming all three lines', async () => {
    const text = `${BASE}      endpoint: "https://kes-test-1.vault.azure.net"\n      credentials:\n        tenant_id: ""\n        client_id: ""\n        client_secret: ""\n`;
    const problems = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'keystore.azure.keyvault.credentials',
      line: lineOf(text, 'credentials:'),
      message: 'tenant_id, client_id and client_secret are empty',
      related: [
        { path: 'keystore.azure.keyvault.credentials.tenant_id', line: lineOf(text, 'tenant_id:') },
        { path: 'keystore.azure.keyvault.credentials.client_id', line: lineOf(text, 'client_id:') },
        { path: 'keystore.azure.keyvault.credentials.client_secret', line: lineOf(text, 'client_secret:') },
      ],
    });
  });

  it('both authentication blocks: one problem at the block naming both', async () => {
    const text = `${BASE}      endpoint: https://v.vault.azure.net\n      credentials:\n        tenant_id: t\n        client_id: c\n        client_secret: s\n      managed_identity:\n        client_id: m\n`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['keystore.azure.keyvault', lineOf(text, 'keyvault:'), "both 'credentials' and 'managed_identity' are given, but only one authentication method can be used"],
    ]);
    expect(problems[0]!.related).toEqual([
      { path: 'keystore.azure.keyvault.credentials', line: lineOf(text, 'credentials:') },
      { path: 'keystore.azure.keyvault.managed_identity', line: lineOf(text, 'managed_identity:') },
    ]);
  });

  it('neither block selects the default credential chain; the additions are reported at their lines', async () => {
    const ok = await parseConfig(`${BASE}      endpoint: https://v.vault.azure.net\n`, { env: {}, registry: createKeystoreRegistry() });
    expect(ok.keystore.settings).toEqual({ endpoint: 'https://v.vault.azure.net', auth: { kind: 'default-chain' } });
    const text = `${BASE}      endpoint: https://v.vault.azure.net\n      authority_host: http://login\n`;
    expect(await problemsOf(text)).toMatchObject([{ path: 'keystore.azure.keyvault.authority_host', line: lineOf(text, 'authority_host:') }]);
  });

  describe('with the emulator', () => {
    let emu: Emulator;
    beforeAll(async () => {
      emu = await startAzureEmulator();
    });
    afterAll(() => emu.stop());

    it('the emulator block of the tutorial (section 8) builds a keystore that works', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'kes-azure-config-'));
      try {
        await writeFile(join(dir, 'ca.pem'), emu.caPem);
        const text =
          `${BASE}      endpoint: ${emu.vaultUrl}\n      credentials:\n        tenant_id: ${emu.tenantId}\n        client_id: ${emu.clientId}\n` +
          `        client_secret: \${AZURE_CLIENT_SECRET}\n      authority_host: ${emu.authorityHost}\n      ca_file: ca.pem\n      disable_challenge_resource_verification: true\n`;
        const registry = createKeystoreRegistry();
        const config = await parseConfig(text, { env: { AZURE_CLIENT_SECRET: emu.clientSecret }, registry });
        const keystore = await createKeystore(config, registry, dir, { warn: () => undefined });
        await keystore.create('via-config', new TextEncoder().encode('v'));
        expect(new TextDecoder().decode(await keystore.get('via-config'))).toBe('v');
        await keystore.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
