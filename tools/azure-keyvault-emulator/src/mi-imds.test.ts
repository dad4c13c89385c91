// Separate file: MSAL caches the managed-identity source and its tokens in static fields (see mi-app-service.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedIdentityCredential } from '@azure/identity';
import { startEmulator, type Emulator } from './index.js';
import { clientFor, rawRequest } from './test/harness.js';

let emu: Emulator;
const saved = process.env['AZURE_POD_IDENTITY_AUTHORITY_HOST'];

beforeAll(async () => {
  emu = await startEmulator();
  delete process.env['IDENTITY_ENDPOINT'];
  delete process.env['IDENTITY_HEADER'];
  delete process.env['MSI_ENDPOINT'];
  process.env['AZURE_POD_IDENTITY_AUTHORITY_HOST'] = emu.managedIdentity.imdsHost;
});
afterAll(async () => {
  if (saved === undefined) delete process.env['AZURE_POD_IDENTITY_AUTHORITY_HOST'];
  else process.env['AZURE_POD_IDENTITY_AUTHORITY_HOST'] = saved;
  await emu.stop();
});

describe('managed identity through IMDS', () => {
  it('ManagedIdentityCredential reads and writes secrets (the SDK uses the trailing-slash IMDS path)', async () => {
    const credential = new ManagedIdentityCredential({ clientId: emu.managedIdentity.clientId });
    const client = clientFor(emu, { credential });
    await client.setSecret('imds-secret', 'from-imds');
    expect((await client.getSecret('imds-secret')).value).toBe('from-imds');
  });

  it('answers like IMDS: Metadata header required, all fields strings', async () => {
    const url = `${emu.managedIdentity.imdsHost}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net`;
    const probe = await rawRequest(emu, 'GET', `${emu.managedIdentity.imdsHost}/metadata/identity/oauth2/token`);
    expect(probe.status).toBe(400);
    expect(probe.json).toEqual({ error: 'invalid_request', error_description: 'Required metadata header not specified' });
    const ok = await rawRequest(emu, 'GET', `${url}&client_id=${emu.managedIdentity.clientId}`, { headers: { Metadata: 'true' } });
    expect(ok.status).toBe(200);
    const body = ok.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'client_id', 'expires_in', 'expires_on', 'ext_expires_in', 'not_before', 'resource', 'token_type']);
    expect(Object.values(body).every((v) => typeof v === 'string')).toBe(true);
    const bad = await rawRequest(emu, 'GET', `${emu.managedIdentity.imdsHost}/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fexample.com`, {
      headers: { Metadata: 'true' },
    });
    expect(bad.json).toMatchObject({ error: 'invalid_resource' });
  });
});
