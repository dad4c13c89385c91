import { describe, expect, it } from 'vitest';
import { createKeystoreRegistry } from './builtin-keystores.js';
import { parseConfig } from './load-config.js';
import { ConfigError, formatConfigProblems, type ConfigProblem } from './problems.js';

function lineOf(text: string, needle: string, n = 1): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === n) return i + 1;
  throw new Error(`'${needle}' not in text`);
}

/** Built-in blocks as if only fs, memory and azure.keyvault were part of the build (the spec-only validation of every other block). */
const specOnly = () =>
  createKeystoreRegistry(async (specifier) => {
    const built = ['@kes/keystore-fs', '@kes/keystore-memory', '@kes/keystore-azure-keyvault'];
    if (!specifier.startsWith('@kes/keystore-') || built.includes(specifier)) return import(specifier);
    throw Object.assign(new Error(`Cannot find package '${specifier}' imported from ${import.meta.filename}`), { code: 'ERR_MODULE_NOT_FOUND' });
  });

async function problemsOf(text: string, env: Record<string, string> = {}): Promise<ConfigProblem[]> {
  try {
    await parseConfig(text, { env, registry: specOnly() });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('the config was accepted');
}

/** The short config of the upstream Azure Key Vault tutorial, as written there (odd keystore indentation included). */
const SHORT = `address: 0.0.0.0:7373 # Listen on all network interfaces on port 7373

admin:
  identity: disabled  # We disable the admin identity since we don't need it in this guide

tls:
  key: private.key    # The KES server TLS private key
  cert: public.crt    # The KES server TLS certificate

policy:
  my-app:
    allow:
    - /v1/key/create/my-key*
    - /v1/key/generate/my-key*
    - /v1/key/decrypt/my-key*
    identities:
    - 02ef5321ca409dbc7b10e7e8ee44d1c3b91e4bf6e2198befdebee6312745267b # Use the identity of your client.crt

keystore:
     azure:
       keyvault:
         endpoint: "https://kes-test-1.vault.azure.net"    # Use your KeyVault instance endpoint.
         credentials:
           tenant_id: ""      # The ID of the tenant the client belongs to
           client_id: ""      # The ID of the client
           client_secret: ""  # The value of the client secret
`;

const filled = (text: string) =>
  text
    .replace('tenant_id: ""', 'tenant_id: "41a37d4e-b3c4-49f4-b330-1114fb0271c8"')
    .replace('client_id: ""', 'client_id: "c3b7badf-cd2b-4297-bece-4de5f2e575f6"')
    .replace('client_secret: ""', 'client_secret: "an-app-secret"');

describe('the short config of the Azure Key Vault tutorial', () => {
  it('with the three credential fields left empty, is refused with ONE error naming all three lines', async () => {
    const problems = await problemsOf(SHORT);
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p).toMatchObject({
      path: 'keystore.azure.keyvault.credentials',
      line: lineOf(SHORT, 'credentials:'),
      message: 'tenant_id, client_id and client_secret are empty',
      related: [
        { path: 'keystore.azure.keyvault.credentials.tenant_id', line: lineOf(SHORT, 'tenant_id:') },
        { path: 'keystore.azure.keyvault.credentials.client_id', line: lineOf(SHORT, 'client_id:') },
        { path: 'keystore.azure.keyvault.credentials.client_secret', line: lineOf(SHORT, 'client_secret:') },
      ],
    });
    expect(p!.hint).toMatch(/tenant.*client.*secret/i);
    const text = formatConfigProblems(problems, 'config.yml');
    expect(text).toContain(`config.yml:${lineOf(SHORT, 'credentials:')}: keystore.azure.keyvault.credentials: tenant_id, client_id and client_secret are empty`);
    expect(text).toContain(`tenant_id in line ${lineOf(SHORT, 'tenant_id:')}`);
  });

  it('names only the fields still empty', async () => {
    const text = SHORT.replace('tenant_id: ""', 'tenant_id: "41a37d4e-b3c4-49f4-b330-1114fb0271c8"');
    const [p] = await problemsOf(text);
    expect(p!.message).toBe('client_id and client_secret are empty');
  });

  it('filled in, is accepted as written', async () => {
    const config = await parseConfig(filled(SHORT), { env: {}, registry: specOnly() });
    expect(config.address).toEqual({ host: '0.0.0.0', port: 7373 });
    expect(config.adminIdentity).toBe('disabled');
    expect(config.tls).toMatchObject({ key: 'private.key', cert: 'public.crt' });
    expect(config.policies['my-app']!.identities).toEqual(['02ef5321ca409dbc7b10e7e8ee44d1c3b91e4bf6e2198befdebee6312745267b']);
    expect(config.keystore.name).toBe('azure.keyvault');
    expect(config.warnings).toEqual([]);
  });

  it('filled in through ${VAR} references (quoted, as the MinIO docs write them), is accepted', async () => {
    const text = SHORT.replace('tenant_id: ""', 'tenant_id: "${TENANTID}"').replace('client_id: ""', 'client_id: "${CLIENTID}"').replace('client_secret: ""', 'client_secret: "${CLIENTSECRET}"');
    await expect(parseConfig(text, { env: { TENANTID: 't', CLIENTID: 'c', CLIENTSECRET: 's' }, registry: specOnly() })).resolves.toBeDefined();
    const [p] = await problemsOf(text, { TENANTID: 't', CLIENTID: 'c' });
    expect(p).toMatchObject({ line: lineOf(text, 'client_secret:'), message: `kesconf: referenced env. variable 'CLIENTSECRET' in line '${lineOf(text, 'client_secret:')}' not found` });
  });
});

/**
 * A long reference config in the style of the upstream tutorial's template, with its two slips: `my-app:` indented
 * under `minio-server:` (so allow, deny and identities repeat in one mapping) and both Azure auth blocks present.
 */
const LONG = `# KES server configuration: reference template
version: v1
address: 0.0.0.0:7373

admin:
  identity: \${KES_ADMIN_IDENTITY}

tls:
  key: ./server.key
  cert: ./server.cert
  auth: off
  proxy:
    identities: []
    header:
      cert: X-Tls-Client-Cert

policy:
  minio-server:
    allow:
    - /v1/key/create/*
    - /v1/key/generate/*
    - /v1/key/decrypt/*
    - /v1/status
    deny:
    - /v1/key/delete/*
    identities:
    - \${MINIO_IDENTITY}

    my-app:
    allow:
    - /v1/key/create/my-app*
    - /v1/key/generate/my-app*
    - /v1/key/decrypt/my-app*
    deny:
    - /v1/key/generate/my-app-internal*
    - /v1/key/decrypt/my-app-internal*
    identities:
    - df7281ca3fed4ef7d06297eb7cb9d590a4edc863b4425f4762bb2afaebfd3258

cache:
  expiry:
    any: 5m0s
    unused: 20s
    offline: 0s

log:
  error: on
  audit: off

keystore:
  azure:
    keyvault:
      endpoint: https://my-vault.vault.azure.net
      credentials:
        tenant_id: 41a37d4e-b3c4-49f4-b330-1114fb0271c8
        client_id: c3b7badf-cd2b-4297-bece-4de5f2e575f6
        client_secret: \${AZURE_CLIENT_SECRET}
      managed_identity:
        client_id: c3b7badf-cd2b-4297-bece-4de5f2e575f6
`;
const LONG_ENV = { KES_ADMIN_IDENTITY: 'e'.repeat(64), MINIO_IDENTITY: 'f'.repeat(64), AZURE_CLIENT_SECRET: 'secret' };

describe('the long reference config with its two slips', () => {
  it('names every line of both slips and says how to fix them', async () => {
    const problems = await problemsOf(LONG, LONG_ENV);
    const header = lineOf(LONG, 'my-app:');
    const parent = lineOf(LONG, 'minio-server:');
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['policy.minio-server.allow', lineOf(LONG, 'allow:', 2), `key 'allow' is defined twice in 'policy.minio-server' (lines ${lineOf(LONG, 'allow:')} and ${lineOf(LONG, 'allow:', 2)})`],
      ['policy.minio-server.deny', lineOf(LONG, 'deny:', 2), `key 'deny' is defined twice in 'policy.minio-server' (lines ${lineOf(LONG, 'deny:')} and ${lineOf(LONG, 'deny:', 2)})`],
      ['policy.minio-server.identities', lineOf(LONG, 'identities:', 3), `key 'identities' is defined twice in 'policy.minio-server' (lines ${lineOf(LONG, 'identities:', 2)} and ${lineOf(LONG, 'identities:', 3)})`],
      ['keystore.azure.keyvault', lineOf(LONG, 'keyvault:'), "both 'credentials' and 'managed_identity' are given, but only one authentication method can be used"],
    ]);
    for (const p of problems.slice(0, 3)) {
      expect(p.hint).toContain(`'my-app:' (line ${header})`);
      expect(p.hint).toContain(`un-indent 'my-app:' to the level of 'minio-server:' (line ${parent})`);
    }
    expect(problems[3]!.related).toEqual([
      { path: 'keystore.azure.keyvault.credentials', line: lineOf(LONG, 'credentials:') },
      { path: 'keystore.azure.keyvault.managed_identity', line: lineOf(LONG, 'managed_identity:') },
    ]);
    expect(problems[3]!.hint).toMatch(/delete the other block/);
  });

  it('is accepted once both slips are fixed as the hints say', async () => {
    const fixed = LONG.replace('\n    my-app:\n    allow:', '\n  my-app:\n    allow:')
      .replace(/\n {6}managed_identity:\n {8}client_id: .*\n/, '\n');
    const config = await parseConfig(fixed, { env: LONG_ENV, registry: specOnly() });
    expect(Object.keys(config.policies)).toEqual(['minio-server', 'my-app']);
    expect(config.policies['my-app']!.deny).toHaveLength(2);
    expect(config.cache).toEqual({ anyMs: 300_000, unusedMs: 20_000, offlineMs: 0 });
    expect(config.log).toEqual({ errorLevel: 0, auditLevel: 9 });
  });

  it('reports missing variables before anything else is trusted, with their lines', async () => {
    const problems = await problemsOf(LONG, {});
    const messages = problems.map((p) => p.message);
    expect(messages).toContain(`kesconf: referenced env. variable 'KES_ADMIN_IDENTITY' in line '${lineOf(LONG, 'KES_ADMIN_IDENTITY')}' not found`);
    expect(messages).toContain(`kesconf: referenced env. variable 'MINIO_IDENTITY' in line '${lineOf(LONG, '${MINIO_IDENTITY}')}' not found`);
    expect(messages).toContain(`kesconf: referenced env. variable 'AZURE_CLIENT_SECRET' in line '${lineOf(LONG, 'AZURE_CLIENT_SECRET')}' not found`);
  });
});
