import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeystoreDefinition } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeystoreRegistry } from './builtin-keystores.js';
import { parseConfig, type LoadConfigOptions } from './load-config.js';
import { ConfigError, type ConfigProblem } from './problems.js';

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

async function problemsOf(text: string, options: LoadConfigOptions = {}): Promise<ConfigProblem[]> {
  try {
    await parseConfig(text, { env: {}, registry: specOnly(), ...options });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('the config was accepted');
}

const BASE = `admin:
  identity: disabled
tls:
  key: ./server.key
  cert: ./server.cert
`;

describe('exactly one keystore (spec §6.2)', () => {
  it('refuses a config without keystore with the upstream text', async () => {
    const [p] = await problemsOf(BASE);
    expect(p).toMatchObject({ path: 'keystore', message: 'kesconf: no keystore specified' });
    expect(p!.hint).toContain('azure.keyvault');
  });

  it('refuses two keystores with the upstream text (sic), naming both blocks', async () => {
    const text = `${BASE}keystore:\n  fs:\n    path: ./keys\n  vault:\n    endpoint: https://127.0.0.1:8200\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({
      path: 'keystore',
      line: lineOf(text, 'keystore:'),
      message: 'kesconf: invalid keystore config: more than once keystore specified',
      related: [
        { path: 'keystore.fs', line: lineOf(text, 'fs:') },
        { path: 'keystore.vault', line: lineOf(text, 'vault:') },
      ],
    });
  });

  it('counts an empty block as given (and reports what it lacks)', async () => {
    const text = `${BASE}keystore:\n  fs:\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'keystore.fs.path', line: lineOf(text, 'fs:'), message: 'path is required' });
  });

  it('suggests the block a typo meant', async () => {
    const text = `${BASE}keystore:\n  azure:\n    key_vault:\n      endpoint: https://x.vault.azure.net\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'keystore.azure.key_vault', line: lineOf(text, 'key_vault:'), hint: "did you mean 'azure.keyvault'?" });
  });

  it('says which unknown block it ignored when none is left', async () => {
    const [p] = await problemsOf(`${BASE}keystore:\n  s3:\n    bucket: keys\n`);
    expect(p!.message).toBe('kesconf: no keystore specified');
    expect(p!.hint).toContain("'s3' is not one of them");
  });

  it('accepts memory: (this project’s volatile store)', async () => {
    const config = await parseConfig(`${BASE}keystore:\n  memory: {}\n`, { env: {} });
    expect(config.keystore).toMatchObject({ name: 'memory' });
  });
});

describe('blocks of backends that are not in this build are validated per spec §6.3', () => {
  it.each([
    ['aws.secretsmanager', 'aws:\n    secretsmanager:\n      kmskey: k\n', ['endpoint is required', 'region is required']],
    ['vault', 'vault:\n    engine: kv\n', ['endpoint is required', 'no authentication method: one of approle or kubernetes is required']],
    ['gcp.secretmanager', 'gcp:\n    secretmanager:\n      endpoint: x\n', ['project_id is required']],
    ['fortanix.sdkms', 'fortanix:\n    sdkms:\n      group_id: g\n', ['endpoint is required', 'credentials.key is required']],
    ['gemalto.keysecure', 'gemalto:\n    keysecure:\n      endpoint: https://k\n', ['credentials.token is required']],
    [
      'entrust.keycontrol',
      'entrust:\n    keycontrol:\n      endpoint: https://k\n',
      ['vault_id is required', 'box_id is required', 'credentials.username is required', 'credentials.password is required'],
    ],
  ])('%s', async (_name, block, messages) => {
    const problems = await problemsOf(`${BASE}keystore:\n  ${block}`);
    expect(problems.map((p) => p.message)).toEqual(messages);
  });

  it('vault: approle and kubernetes together, and a TLS key without a certificate', async () => {
    const text = `${BASE}keystore:\n  vault:\n    endpoint: https://v:8200\n    approle:\n      id: i\n      secret: s\n    kubernetes:\n      jwt: j\n    tls:\n      key: ./k\n`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => p.message)).toEqual(["both 'approle' and 'kubernetes' are given", 'tls.key and tls.cert must be given together']);
    expect(problems[0]!.related).toEqual([
      { path: 'keystore.vault.approle', line: lineOf(text, 'approle:') },
      { path: 'keystore.vault.kubernetes', line: lineOf(text, 'kubernetes:') },
    ]);
  });

  it('a valid block loads, and says at start that the backend is not available', async () => {
    const text = `${BASE}keystore:\n  aws:\n    secretsmanager:\n      endpoint: secretsmanager.us-east-2.amazonaws.com\n      region: us-east-2\n`;
    const registry = specOnly();
    const config = await parseConfig(text, { env: {}, registry });
    expect(config.keystore).toMatchObject({ name: 'aws.secretsmanager', title: 'AWS Secrets Manager' });
    const definition = await registry.resolve('aws.secretsmanager');
    await expect(definition.create(config.keystore.settings, { cwd: '.', warn: () => {} })).rejects.toThrow(
      "keystore 'aws.secretsmanager' (AWS Secrets Manager) is not available in this build: its package @kes/keystore-aws-secretsmanager is not installed",
    );
  });

  it('the kes block is parsed but never available (upstream ignores it too)', async () => {
    const config = await parseConfig(`${BASE}keystore:\n  kes:\n    endpoint: [https://127.0.0.1:7373]\n`, { env: {} });
    const definition = await createKeystoreRegistry().resolve('kes');
    await expect(definition.create(config.keystore.settings, { cwd: '.', warn: () => {} })).rejects.toThrow(/not available in this build/);
  });
});

describe('azure.keyvault (spec §6.3)', () => {
  const azure = (body: string) => `${BASE}keystore:\n  azure:\n    keyvault:\n${body}`;

  it('requires the endpoint', async () => {
    const [p] = await problemsOf(azure('      managed_identity:\n        client_id: abc\n'));
    expect(p).toMatchObject({ path: 'keystore.azure.keyvault.endpoint', message: 'endpoint is required' });
  });

  it('accepts a managed identity, and neither block (default credential chain)', async () => {
    const managed = await parseConfig(azure('      endpoint: https://v.vault.azure.net\n      managed_identity:\n        client_id: abc\n'), { env: {}, registry: specOnly() });
    expect(managed.keystore.settings).toEqual({ endpoint: 'https://v.vault.azure.net', auth: { kind: 'managed-identity', clientId: 'abc' } });
    const chain = await parseConfig(azure('      endpoint: https://v.vault.azure.net\n'), { env: {}, registry: specOnly() });
    expect(chain.keystore.settings).toEqual({ endpoint: 'https://v.vault.azure.net', auth: { kind: 'default-chain' } });
  });

  it('refuses an empty managed identity client_id', async () => {
    const [p] = await problemsOf(azure('      endpoint: https://v.vault.azure.net\n      managed_identity:\n        client_id: ""\n'));
    expect(p).toMatchObject({ path: 'keystore.azure.keyvault.managed_identity.client_id', message: 'managed_identity.client_id is required' });
  });

  it('refuses an endpoint that is not a URL', async () => {
    const [p] = await problemsOf(azure('      endpoint: my-vault\n'));
    expect(p!.message).toBe("endpoint 'my-vault' is not a URL");
  });

  it('substitutes ${VAR} inside the block and reports a missing one at its line', async () => {
    const text = azure('      endpoint: ${VAULT}\n');
    const ok = await parseConfig(text, { env: { VAULT: 'https://v.vault.azure.net' }, registry: specOnly() });
    expect(ok.keystore.settings).toMatchObject({ endpoint: 'https://v.vault.azure.net' });
    const [p] = await problemsOf(text);
    expect(p!.message).toBe(`kesconf: referenced env. variable 'VAULT' in line '${lineOf(text, 'endpoint:')}' not found`);
  });
});

describe('keystore.module: third-party backends', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kes-module-'));
    const definition = `export default {
  name: 'acme.store', title: 'ACME store',
  validate(block) {
    if (!block || typeof block.bucket !== 'string' || block.bucket === '') return { ok: false, problems: [{ path: ['bucket'], message: 'bucket is required', hint: 'name the bucket' }] };
    return { ok: true, config: { bucket: block.bucket }, warnings: block.extra ? [{ path: ['extra'], message: 'extra is ignored' }] : [] };
  },
  async create(config) { throw new Error('create is not called here: ' + config.bucket); },
  describe(config) { return 'bucket ' + config.bucket; },
};
`;
    await writeFile(join(dir, 'acme.mjs'), definition);
    await writeFile(join(dir, 'named.mjs'), definition.replace('export default', 'export const store ='));
    await writeFile(join(dir, 'nothing.mjs'), 'export const x = 1;\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const moduleConfig = (name: string, config: string, exportLine = '') => `${BASE}keystore:\n  module:\n    name: ${name}\n${exportLine}    config:\n${config}`;

  it('loads a definition from a path relative to the working directory and validates its config', async () => {
    const config = await parseConfig(moduleConfig('./acme.mjs', '      bucket: keys\n      extra: 1\n'), { env: {}, cwd: dir });
    expect(config.keystore).toEqual({
      name: 'acme.store',
      title: 'ACME store',
      module: { specifier: './acme.mjs' },
      settings: { bucket: 'keys' },
      description: 'bucket keys',
    });
    expect(config.warnings.map((w) => w.path)).toEqual(['keystore.module.config.extra']);
  });

  it('reports the module’s validation problems at their lines', async () => {
    const text = moduleConfig('./acme.mjs', '      region: x\n');
    const [p] = await problemsOf(text, { cwd: dir });
    expect(p).toMatchObject({ path: 'keystore.module.config.bucket', line: lineOf(text, 'config:'), message: 'bucket is required', hint: 'name the bucket' });
  });

  it('takes a named export', async () => {
    const config = await parseConfig(moduleConfig('./named.mjs', '      bucket: b\n', '    export: store\n'), { env: {}, cwd: dir });
    expect(config.keystore.module).toEqual({ specifier: './named.mjs', exportName: 'store' });
  });

  it('refuses a module that does not exist, or exports no definition', async () => {
    const [missing] = await problemsOf(moduleConfig('./nope.mjs', '      bucket: b\n'), { cwd: dir });
    expect(missing).toMatchObject({ path: 'keystore.module.name', message: "cannot load keystore module: module './nope.mjs' was not found" });
    const [nothing] = await problemsOf(moduleConfig('./nothing.mjs', '      bucket: b\n'), { cwd: dir });
    expect(nothing!.message).toMatch(/does not export a keystore definition/);
    const [pkg] = await problemsOf(moduleConfig('"@acme/not-installed"', '      bucket: b\n'), { cwd: dir });
    expect(pkg!.message).toBe("cannot load keystore module: module '@acme/not-installed' was not found");
  });

  it('an unquoted @scope/package name is a YAML error with a hint to quote it', async () => {
    const [p] = await problemsOf(moduleConfig('@acme/store', '      bucket: b\n'), { cwd: dir });
    expect(p!.message).toMatch(/^invalid YAML: /);
    expect(p!.hint).toMatch(/quotes/);
  });

  it('requires the module name', async () => {
    const [p] = await problemsOf(`${BASE}keystore:\n  module:\n    config: {}\n`);
    expect(p).toMatchObject({ path: 'keystore.module.name', message: 'the keystore module name is required' });
  });
});

describe('registered definitions', () => {
  it('a validator that throws becomes a problem instead of a crash', async () => {
    const broken: KeystoreDefinition = {
      name: 'fs',
      title: 'Broken',
      validate: () => {
        throw new Error('boom');
      },
      create: () => Promise.reject(new Error('unused')),
    };
    const registry = createKeystoreRegistry().register(broken);
    const [p] = await problemsOf(`${BASE}keystore:\n  fs:\n    path: x\n`, { registry });
    expect(p!.message).toBe("the 'fs' keystore's validator failed: boom");
  });
});
