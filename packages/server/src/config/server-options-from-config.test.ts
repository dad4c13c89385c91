import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Keystore, KeystoreDefinition } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeystoreRegistry } from './builtin-keystores.js';
import { parseConfig } from './load-config.js';
import { ConfigError } from './problems.js';
import { buildServerOptions } from './server-options-from-config.js';

let dir: string;

/** A self-signed P-256 certificate made with the openssl CLI; `san` empty = none. */
function makeCert(name: string, san: string, extra: string[] = []): void {
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`), '-subj', `/CN=${name}`, '-days', '2', ...(san ? ['-addext', `subjectAltName=${san}`] : []), ...extra],
    { stdio: 'ignore' },
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-tls-'));
  makeCert('server', 'DNS:localhost,IP:127.0.0.1');
  makeCert('nosan', '');
  makeCert('other', 'DNS:other');
  execFileSync('openssl', ['ec', '-in', join(dir, 'server.key'), '-aes256', '-passout', 'pass:s3cret', '-out', join(dir, 'server.enc.key')], { stdio: 'ignore' });
  makeCert('ca1', 'DNS:ca1');
  makeCert('ca2', 'DNS:ca2');
  await mkdir(join(dir, 'cas'));
  await writeFile(join(dir, 'cas', 'a.pem'), await readFile(join(dir, 'ca1.crt')));
  await writeFile(join(dir, 'cas', 'b.pem'), (await readFile(join(dir, 'ca2.crt'), 'utf8')) + (await readFile(join(dir, 'ca1.crt'), 'utf8')));
  await writeFile(join(dir, 'cas', '.hidden'), 'not a certificate');
  await writeFile(join(dir, 'empty.pem'), 'nothing here\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

class NullKeystore implements Keystore {
  closed = false;
  async create(): Promise<void> {}
  async get(): Promise<Uint8Array> {
    return new Uint8Array();
  }
  async delete(): Promise<void> {}
  async list() {
    return { names: [], continueAt: '' };
  }
  async status() {
    return { latencyMs: 0 };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const created: unknown[] = [];
const testFs: KeystoreDefinition<{ path: string }> = {
  name: 'fs',
  title: 'Test FS',
  validate: (block) => ({ ok: true, config: { path: String((block as { path: unknown }).path) } }),
  create: async (config, ctx) => {
    created.push({ config, cwd: ctx.cwd });
    return new NullKeystore();
  },
};
const registry = () => createKeystoreRegistry().register(testFs);

/** Built-in blocks as if only fs and memory were part of the build (the spec-only validation of every other block). */
const specOnly = () =>
  createKeystoreRegistry(async (specifier) => {
    if (!specifier.startsWith('@kes/keystore-') || specifier === '@kes/keystore-fs' || specifier === '@kes/keystore-memory') return import(specifier);
    throw Object.assign(new Error(`Cannot find package '${specifier}' imported from ${import.meta.filename}`), { code: 'ERR_MODULE_NOT_FOUND' });
  });


const config = (tls: string, extra = '') =>
  parseConfig(
    `address: 127.0.0.1:7373\nadmin:\n  identity: ${'a'.repeat(64)}\ntls:\n${tls}policy:\n  p:\n    allow: [/v1/status]\n    identities: [${'b'.repeat(64)}]\n${extra}keystore:\n  fs:\n    path: ./keys\n`,
    { env: {}, registry: registry() },
  );

async function problemsOf(tls: string) {
  const err = await buildServerOptions(await config(tls), { cwd: dir, registry: registry() }).catch((e: unknown) => e);
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`);
  return err.problems;
}

describe('buildServerOptions', () => {
  it('reads the TLS files relative to the working directory and maps every field', async () => {
    const c = await config('  key: server.key\n  cert: server.crt\n  ca: cas\n', 'cache:\n  expiry:\n    unused: 1m\napi:\n  /v1/status:\n    skip_auth: true\nlog:\n  audit: off\nkeys:\n- name: k1\n');
    const options = await buildServerOptions(c, { cwd: dir, registry: registry(), version: { version: '1', commit: 'c' } });
    expect(options.listen).toEqual({ host: '127.0.0.1', port: 7373 });
    expect(options.tls.key.toString()).toBe(await readFile(join(dir, 'server.key'), 'utf8'));
    expect(options.tls.cert.toString()).toBe(await readFile(join(dir, 'server.crt'), 'utf8'));
    expect(options.tls.auth).toBe('off');
    expect(options.tls.ca).toHaveLength(3); // a.pem (1) + b.pem (2); .hidden skipped
    expect(options.adminIdentity).toBe('a'.repeat(64));
    expect(options.policies).toEqual({ p: { allow: ['/v1/status'], deny: [], identities: ['b'.repeat(64)] } });
    expect(options.cache).toEqual({ anyMs: 300_000, unusedMs: 60_000, offlineMs: 0 });
    expect(options.api).toEqual({ '/v1/status': { skipAuth: true } });
    expect(options.log).toEqual({ errorLevel: 0, auditLevel: 9 });
    expect(options.keys).toEqual(['k1']);
    expect(options.version).toEqual({ version: '1', commit: 'c' });
    expect(options.keystore).toBeInstanceOf(NullKeystore);
    expect(created.at(-1)).toEqual({ config: { path: './keys' }, cwd: dir });
    expect(Object.isFrozen(options.policies['p']!.allow)).toBe(false); // the options are the server's own copy
  });

  it('lets the command line address win, and defaults to 0.0.0.0:7373', async () => {
    const c = await config('  key: server.key\n  cert: server.crt\n');
    const overridden = await buildServerOptions(c, { cwd: dir, registry: registry(), address: { host: '', port: 0 } });
    expect(overridden.listen).toEqual({ host: '0.0.0.0', port: 0 });
  });

  it('decrypts a legacy encrypted PEM key with tls.password (and passes the password on)', async () => {
    const options = await buildServerOptions(await config('  key: server.enc.key\n  cert: server.crt\n  password: s3cret\n'), { cwd: dir, registry: registry() });
    expect(options.tls.password).toBe('s3cret');
  });

  it('reports an encrypted key without password, and a wrong password', async () => {
    expect((await problemsOf('  key: server.enc.key\n  cert: server.crt\n'))[0]).toMatchObject({ path: 'tls.key', line: 5, message: "the private key 'server.enc.key' is encrypted" });
    expect((await problemsOf('  key: server.enc.key\n  cert: server.crt\n  password: wrong\n'))[0]).toMatchObject({ path: 'tls.password', line: 7 });
  });

  it('reports missing files with their config lines, all at once', async () => {
    const problems = await problemsOf('  key: missing.key\n  cert: missing.crt\n  ca: missing-ca\n');
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['tls.key', 5],
      ['tls.cert', 6],
      ['tls.ca', 7],
    ]);
    expect(problems[0]!.message).toContain('no such file or directory');
  });

  it('refuses a certificate without DNS or IP SAN with the upstream text (spec §1.1)', async () => {
    const [p] = await problemsOf('  key: nosan.key\n  cert: nosan.crt\n');
    expect(p).toMatchObject({ path: 'tls.cert', line: 6, message: 'invalid TLS certificate: certificate does not contain any DNS or IP address as SAN' });
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const [p] = await problemsOf('  key: other.key\n  cert: server.crt\n');
    expect(p!.message).toBe("the private key 'other.key' does not belong to the certificate 'server.crt'");
  });

  it('refuses files that are not PEM, and a CA file without certificates', async () => {
    const problems = await problemsOf('  key: empty.pem\n  cert: empty.pem\n  ca: empty.pem\n');
    expect(problems.map((p) => p.path)).toEqual(['tls.cert', 'tls.key', 'tls.ca']);
  });

  it('fails with the keystore block’s line when the backend is not in this build', async () => {
    const c = await parseConfig(
      'admin:\n  identity: disabled\ntls:\n  key: server.key\n  cert: server.crt\nkeystore:\n  azure:\n    keyvault:\n      endpoint: https://v.vault.azure.net\n',
      { env: {}, registry: specOnly() },
    );
    const err = await buildServerOptions(c, { cwd: dir, registry: specOnly() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]).toMatchObject({
      path: 'keystore.azure.keyvault',
      line: 8,
      message: "keystore 'azure.keyvault' (Azure Key Vault) is not available in this build: its package @kes/keystore-azure-keyvault is not installed",
    });
  });

  it('builds the real fs keystore from its package', async () => {
    const c = await parseConfig('admin:\n  identity: disabled\ntls:\n  key: server.key\n  cert: server.crt\nkeystore:\n  fs:\n    path: ./fs-keys\n', { env: {} });
    const options = await buildServerOptions(c, { cwd: dir });
    await options.keystore.create('k', new Uint8Array([1, 2, 3]));
    expect(await readFile(join(dir, 'fs-keys', 'k'))).toEqual(Buffer.from([1, 2, 3]));
    await options.keystore.close();
  });
});
