// Separate file: MSAL caches the managed-identity source and its tokens in static fields, so each
// managed-identity flavour needs its own module instance (vitest isolates files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedIdentityCredential } from '@azure/identity';
import { startEmulator, type Emulator } from './index.js';
import { clientFor, rawRequest } from './test/harness.js';

let emu: Emulator;
const saved = { IDENTITY_ENDPOINT: process.env['IDENTITY_ENDPOINT'], IDENTITY_HEADER: process.env['IDENTITY_HEADER'] };

beforeAll(async () => {
  emu = await startEmulator();
  process.env['IDENTITY_ENDPOINT'] = emu.managedIdentity.appServiceEndpoint;
  process.env['IDENTITY_HEADER'] = emu.managedIdentity.identityHeader;
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await emu.stop();
});

describe('managed identity through the App Service endpoint', () => {
  it('ManagedIdentityCredential (user-assigned) reads and writes secrets', async () => {
    const credential = new ManagedIdentityCredential({ clientId: emu.managedIdentity.clientId });
    const client = clientFor(emu, { credential });
    await client.setSecret('mi-secret', 'from-app-service');
    expect((await client.getSecret('mi-secret')).value).toBe('from-app-service');
    const token = await credential.getToken('https://vault.azure.net/.default');
    const claims = JSON.parse(Buffer.from(token.token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, string>;
    expect(claims).toMatchObject({ appid: emu.managedIdentity.clientId, aud: 'https://vault.azure.net', tid: emu.tenantId });
  });

  it('rejects a wrong X-IDENTITY-HEADER and an unknown identity', async () => {
    const base = `${emu.managedIdentity.appServiceEndpoint}?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net`;
    expect((await rawRequest(emu, 'GET', base, { headers: { 'x-identity-header': 'wrong' } })).status).toBe(400);
    const unknown = await rawRequest(emu, 'GET', `${base}&client_id=00000000-0000-0000-0000-000000000000`, {
      headers: { 'x-identity-header': emu.managedIdentity.identityHeader },
    });
    expect(unknown.json).toEqual({ error: 'invalid_request', error_description: 'Identity not found' });
    const system = await rawRequest(emu, 'GET', `${base}`, { headers: { 'x-identity-header': emu.managedIdentity.identityHeader } });
    expect(system.json).toMatchObject({ client_id: emu.managedIdentity.systemAssignedClientId, token_type: 'Bearer', resource: 'https://vault.azure.net' });
    expect(Object.keys(system.json as object).sort()).toEqual(['access_token', 'client_id', 'expires_on', 'resource', 'token_type']);
  });
});
