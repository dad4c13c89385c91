import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { SignJWT, generateKeyPair } from 'jose';
import { startEmulator, type Emulator } from './index.js';
import { clientFor, credentialFor, rawRequest, sdkFailure } from './test/harness.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ vaults: ['vault-a', 'vault-b'], extraApps: [{ clientId: 'second-app', clientSecret: 'second-secret' }] });
});
afterAll(() => emu.stop());

describe('Entra ID endpoints', () => {
  it('serves OpenID configuration with the fields MSAL requires, JWKS and instance discovery', async () => {
    const conf = await rawRequest(emu, 'GET', `${emu.authorityHost}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(conf.status).toBe(200);
    expect(conf.json).toMatchObject({
      token_endpoint: `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`,
      issuer: `${emu.authorityHost}/${emu.tenantId}/v2.0`,
      authorization_endpoint: `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize`,
      jwks_uri: `${emu.authorityHost}/${emu.tenantId}/discovery/v2.0/keys`,
    });
    const jwks = await rawRequest(emu, 'GET', `${emu.authorityHost}/${emu.tenantId}/discovery/v2.0/keys`);
    expect((jwks.json as { keys: Array<{ kty: string; d?: string }> }).keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect((jwks.json as { keys: Array<{ d?: string }> }).keys[0]?.d).toBeUndefined();
    const disc = await rawRequest(
      emu,
      'GET',
      `${emu.authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize`)}`,
    );
    expect(disc.json).toMatchObject({ 'api-version': '1.1', tenant_discovery_endpoint: `${emu.authorityHost}/${emu.tenantId}/v2.0/.well-known/openid-configuration` });
    const unknown = await rawRequest(emu, 'GET', `${emu.authorityHost}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });

  it('a wrong client secret fails with AADSTS7000215, an unknown client with AADSTS700016', async () => {
    await expect(credentialFor(emu, 'wrong-secret').getToken('https://vault.azure.net/.default')).rejects.toThrow(/AADSTS7000215: Invalid client secret provided/);
    await expect(credentialFor(emu, 'x', 'no-such-app').getToken('https://vault.azure.net/.default')).rejects.toThrow(/AADSTS700016: Application with identifier 'no-such-app' was not found/);
    const raw = await rawRequest(emu, 'POST', `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`, {
      body: `grant_type=client_credentials&client_id=${emu.clientId}&client_secret=nope&scope=https%3A%2F%2Fvault.azure.net%2F.default`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(raw.status).toBe(401);
    expect(Object.keys(raw.json as object).sort()).toEqual(['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
    expect(raw.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const scope = await rawRequest(emu, 'POST', `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`, {
      body: `grant_type=client_credentials&client_id=${emu.clientId}&client_secret=${encodeURIComponent(emu.clientSecret)}&scope=https%3A%2F%2Fmanagement.azure.com%2F.default`,
    });
    expect(scope.json).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
  });

  it('issues v2 and v1 tokens; other registered apps work too', async () => {
    const second = new ClientSecretCredential(emu.tenantId, 'second-app', 'second-secret', {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emu.caPem },
    });
    await clientFor(emu, { credential: second }).setSecret('from-second', 'ok');
    const v1 = await rawRequest(emu, 'POST', `${emu.authorityHost}/${emu.tenantId}/oauth2/token`, {
      body: `grant_type=client_credentials&client_id=${emu.clientId}&client_secret=${encodeURIComponent(emu.clientSecret)}&resource=https%3A%2F%2Fvault.azure.net`,
    });
    expect(v1.json).toMatchObject({ token_type: 'Bearer', resource: 'https://vault.azure.net', expires_in: '3599' });
    const token = (v1.json as { access_token: string }).access_token;
    const r = await rawRequest(emu, 'GET', `${emu.vaultUrl}/secrets/from-second?api-version=7.5`, { token });
    expect(r.status).toBe(200);
  });

  it('a credential for another tenant is refused by the SDK before any token request (challenge tenant check)', async () => {
    const other = credentialFor(emu, emu.clientSecret, emu.clientId, '00000000-0000-0000-0000-00000000beef');
    const e = await sdkFailure(clientFor(emu, { credential: other }).getSecret('x'));
    expect(e.message).toMatch(/not configured to acquire tokens for tenant/);
  });
});

describe('the vault validates tokens', () => {
  const url = () => `${emu.vaultUrl}/secrets/anything?api-version=7.5`;
  const challenge = () => `Bearer authorization="${emu.authorityHost}/${emu.tenantId}", resource="https://vault.azure.net"`;

  it.each([
    ['expired', async () => emu.mintToken({ lifetimeSeconds: -60 }), /^Token validation failed: the token is expired\.$/],
    ['wrong audience', async () => emu.mintToken({ audience: 'https://management.azure.com' }), /^AKV10022: Invalid audience\. Expected https:\/\/vault\.azure\.net, found: https:\/\/management\.azure\.com\.$/],
    ['other tenant', async () => emu.mintToken({ tenantId: '00000000-0000-0000-0000-00000000beef' }), /^AKV10032: Invalid issuer\./],
    [
      'forged signature',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ tid: emu.tenantId, appid: emu.clientId })
          .setProtectedHeader({ alg: 'RS256' })
          .setIssuer(`https://sts.windows.net/${emu.tenantId}/`)
          .setAudience('https://vault.azure.net')
          .setExpirationTime('1h')
          .sign(privateKey);
      },
      /^Token validation failed: the token signature is invalid\.$/,
    ],
    ['garbage', async () => 'not-a-jwt', /^Token validation failed: the token is malformed/],
    ['unsigned', async () => 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.', /^Token validation failed: the token is malformed/],
  ])('%s token → 401 Unauthorized with the challenge', async (_name, mint, message) => {
    const r = await rawRequest(emu, 'GET', url(), { token: await mint() });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(challenge());
    const body = r.json as { error: { code: string; message: string } };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(body.error.code).toBe('Unauthorized');
    expect(body.error.message).toMatch(message);
  });

  it('a valid token with the Key Vault app id as audience is accepted', async () => {
    const token = await emu.mintToken({ audience: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093' });
    expect((await rawRequest(emu, 'GET', url(), { token })).status).toBe(404);
  });
});

describe('several vaults', () => {
  it('runs each vault on its own host:port with separate data, ids built from the Host header', async () => {
    const [a, b] = emu.vaults;
    expect(a?.url).not.toBe(b?.url);
    const ca = clientFor(emu, { vaultUrl: a?.url });
    const cb = clientFor(emu, { vaultUrl: b?.url });
    const sa = await ca.setSecret('shared-name', 'in-a');
    const sb = await cb.setSecret('shared-name', 'in-b');
    expect(sa.properties.id?.startsWith(`${a?.url}/secrets/shared-name/`)).toBe(true);
    expect(sb.properties.vaultUrl).toBe(b?.url);
    expect((await ca.getSecret('shared-name')).value).toBe('in-a');
    expect((await cb.getSecret('shared-name')).value).toBe('in-b');
    const port = new URL(a?.url ?? '').port;
    const viaIp = clientFor(emu, { vaultUrl: `https://127.0.0.1:${port}` });
    expect((await viaIp.getSecret('shared-name')).properties.id?.startsWith(`https://127.0.0.1:${port}/secrets/`)).toBe(true);
  });
});

describe('challenge-resource verification left ON (§4.5)', () => {
  it('works with a *.vault.azure.net URL resolved to 127.0.0.1 by an https.Agent lookup', async () => {
    const lookup = ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) =>
      opts?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as unknown as LookupFunction;
    const port = new URL(emu.vault('vault-a').url).port;
    const client = new SecretClient(`https://myvault.vault.azure.net:${port}`, credentialFor(emu), {
      agent: new Agent({ ca: emu.caPem, lookup }),
    });
    const s = await client.setSecret('verified', 'on');
    expect(s.properties.id).toBe(`https://myvault.vault.azure.net:${port}/secrets/verified/${s.properties.version}`);
    // Without the option and with a localhost URL, the SDK itself refuses the challenge.
    const plain = new SecretClient(emu.vaultUrl, credentialFor(emu), { tlsOptions: { ca: emu.caPem } });
    expect((await sdkFailure(plain.getSecret('verified'))).message).toMatch(/The challenge resource 'vault\.azure\.net' does not match the requested domain/);
  });
});
