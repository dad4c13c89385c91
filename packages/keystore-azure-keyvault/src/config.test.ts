import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateAzureKeyVaultConfig } from './config.js';
import { keystoreDefinition } from './definition.js';

const ENDPOINT = 'https://kes-test-1.vault.azure.net';
const problems = (block: unknown) => {
  const r = validateAzureKeyVaultConfig(block);
  if (r.ok) throw new Error('accepted');
  return r.problems;
};
const config = (block: unknown) => {
  const r = validateAzureKeyVaultConfig(block);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
};

describe('keystoreDefinition', () => {
  it('is the azure.keyvault block and describes the vault by its endpoint only', () => {
    expect(keystoreDefinition).toMatchObject({ name: 'azure.keyvault', title: 'Azure Key Vault' });
    const c = config({ endpoint: ENDPOINT, credentials: { tenant_id: 't', client_id: 'c', client_secret: 'SECRET' } }).config;
    expect(keystoreDefinition.describe!(c)).toBe(ENDPOINT);
  });
});

describe('validateAzureKeyVaultConfig: the upstream fields', () => {
  it('accepts the three authentication methods', () => {
    expect(config({ endpoint: ENDPOINT, credentials: { tenant_id: 't', client_id: 'c', client_secret: 's' } }).config).toEqual({
      endpoint: ENDPOINT,
      auth: { kind: 'client-secret', tenantId: 't', clientId: 'c', clientSecret: 's' },
    });
    expect(config({ endpoint: ENDPOINT, managed_identity: { client_id: 'abc' } }).config).toEqual({ endpoint: ENDPOINT, auth: { kind: 'managed-identity', clientId: 'abc' } });
    expect(config({ endpoint: ENDPOINT }).config).toEqual({ endpoint: ENDPOINT, auth: { kind: 'default-chain' } });
  });

  it('requires the endpoint and refuses what is not an https URL', () => {
    expect(problems({ managed_identity: { client_id: 'abc' } })).toMatchObject([{ path: ['endpoint'], message: 'endpoint is required' }]);
    expect(problems(null)).toMatchObject([{ path: ['endpoint'], message: 'endpoint is required' }]);
    expect(problems({ endpoint: 'my-vault' })).toMatchObject([{ path: ['endpoint'], message: "endpoint 'my-vault' is not a URL" }]);
    expect(problems({ endpoint: 'http://v.vault.azure.net' })).toMatchObject([{ path: ['endpoint'], message: "endpoint 'http://v.vault.azure.net' must be an https URL" }]);
  });

  it('names all empty credential fields in ONE problem that relates each field', () => {
    const [p, ...rest] = problems({ endpoint: ENDPOINT, credentials: { tenant_id: '', client_id: '', client_secret: '' } });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      path: ['credentials'],
      message: 'tenant_id, client_id and client_secret are empty',
      related: [['credentials', 'tenant_id'], ['credentials', 'client_id'], ['credentials', 'client_secret']],
    });
    expect(p!.hint).toMatch(/tenant.*client.*secret/i);
    expect(problems({ endpoint: ENDPOINT, credentials: { tenant_id: 't', client_id: ' ' } })[0]!.message).toBe('client_id and client_secret are empty');
    expect(problems({ endpoint: ENDPOINT, credentials: null })[0]!.message).toBe('tenant_id, client_id and client_secret are empty');
  });

  it('refuses both authentication blocks with one problem naming both', () => {
    const ps = problems({ endpoint: ENDPOINT, credentials: { tenant_id: 't', client_id: 'c', client_secret: 's' }, managed_identity: { client_id: 'c' } });
    expect(ps).toEqual([
      {
        path: [],
        message: "both 'credentials' and 'managed_identity' are given, but only one authentication method can be used",
        hint: expect.stringMatching(/delete the other block/) as unknown as string,
        related: [['credentials'], ['managed_identity']],
      },
    ]);
  });

  it('requires the managed identity client_id', () => {
    expect(problems({ endpoint: ENDPOINT, managed_identity: { client_id: '' } })).toMatchObject([
      { path: ['managed_identity', 'client_id'], message: 'managed_identity.client_id is required' },
    ]);
  });

  it('reports every problem at once', () => {
    const ps = problems({ endpoint: 'x', credentials: { tenant_id: '' }, managed_identity: {}, authority_host: 'http://login', disable_challenge_resource_verification: 'maybe' });
    expect(ps.map((p) => p.path)).toEqual([['endpoint'], [], ['credentials'], ['authority_host'], ['disable_challenge_resource_verification']]);
  });
});

describe('validateAzureKeyVaultConfig: the additions (off by default)', () => {
  it('reads authority_host, ca_file and disable_challenge_resource_verification', () => {
    const c = config({
      endpoint: 'https://localhost:8443',
      credentials: { tenant_id: 't', client_id: 'c', client_secret: 's' },
      authority_host: 'https://localhost:8444',
      ca_file: './ca.pem',
      disable_challenge_resource_verification: true,
    }).config;
    expect(c).toMatchObject({ authorityHost: 'https://localhost:8444', caFile: './ca.pem', disableChallengeResourceVerification: true });
    for (const off of [false, 'false', 'off', null, undefined]) {
      expect(config({ endpoint: ENDPOINT, disable_challenge_resource_verification: off }).config).not.toHaveProperty('disableChallengeResourceVerification');
    }
    expect(config({ endpoint: ENDPOINT, disable_challenge_resource_verification: 'true' }).config.disableChallengeResourceVerification).toBe(true);
  });

  it('warns about authority_host with a managed identity and about unknown fields, with a hint for slips', () => {
    const r = config({ endpoint: ENDPOINT, managed_identity: { client_id: 'c' }, authority_host: 'https://login.microsoftonline.us', endpont: 'x', color: 'blue' });
    expect(r.warnings).toMatchObject([
      { path: ['authority_host'], message: 'authority_host is ignored with managed_identity' },
      { path: ['endpont'], message: 'unknown field endpont is ignored', hint: "did you mean 'endpoint'?" },
      { path: ['color'], message: 'unknown field color is ignored' },
    ]);
  });

  it('never throws, whatever the block holds (property)', () => {
    const value = fc.oneof(fc.string(), fc.boolean(), fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.string()));
    const key = fc.constantFrom('endpoint', 'credentials', 'managed_identity', 'tenant_id', 'client_id', 'client_secret', 'authority_host', 'ca_file', 'disable_challenge_resource_verification', 'x');
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(key, fc.oneof(value, fc.dictionary(key, value)))), (block) => {
        const r = validateAzureKeyVaultConfig(block);
        expect(r.ok || r.problems.length > 0).toBe(true);
      }),
    );
  });
});
