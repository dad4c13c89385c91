// Own file: MSAL keeps the managed-identity source and its tokens in static fields, so each flavour needs its own
// module instance (vitest isolates files).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@kes/azure-keyvault-emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keystoreDefinition } from './definition.js';

let emu: Emulator;
let dir: string;
const saved = { IDENTITY_ENDPOINT: process.env['IDENTITY_ENDPOINT'], IDENTITY_HEADER: process.env['IDENTITY_HEADER'] };

beforeAll(async () => {
  emu = await startEmulator({ vaults: ['mi-vault'] });
  dir = await mkdtemp(join(tmpdir(), 'kes-azure-mi-'));
  await writeFile(join(dir, 'ca.pem'), emu.caPem);
  process.env['IDENTITY_ENDPOINT'] = emu.managedIdentity.appServiceEndpoint;
  process.env['IDENTITY_HEADER'] = emu.managedIdentity.identityHeader;
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

it('managed_identity (App Service endpoint) authenticates as the user-assigned identity', async () => {
  const r = keystoreDefinition.validate({
    endpoint: emu.vaultUrl,
    managed_identity: { client_id: emu.managedIdentity.clientId },
    ca_file: 'ca.pem',
    disable_challenge_resource_verification: true,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const ks = await keystoreDefinition.create(r.config, { cwd: dir, warn: () => undefined });
  await ks.create('mi-key', new TextEncoder().encode('through managed identity'));
  expect(new TextDecoder().decode(await ks.get('mi-key'))).toBe('through managed identity');
  await ks.close();
});
