import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKeystoreDefinition } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keystoreDefinition } from './definition.js';
import { loadTlsMaterial } from './tls-files.js';
import { validateVaultBlock } from './validate-config.js';
import { VaultKeystore } from './vault-keystore.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-vault-def-'));
  // A self-signed certificate and key, made with the openssl CLI.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=test',
    '-keyout', join(dir, 'client.key'), '-out', join(dir, 'client.crt')], { stdio: 'ignore' });
  await writeFile(join(dir, 'readme.txt'), 'no certificate here');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const config = (extra: Record<string, unknown> = {}) => {
  const result = validateVaultBlock({ endpoint: 'http://127.0.0.1:1', approle: { id: 'role', secret: 'S3CRET-ID' }, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
};
const context = { cwd: '/', warn: () => undefined };

describe('vault keystoreDefinition', () => {
  it('is the definition of the KES block `vault`', () => {
    expect(isKeystoreDefinition(keystoreDefinition)).toBe(true);
    expect(keystoreDefinition.name).toBe('vault');
    expect(keystoreDefinition.title).toBe('Hashicorp Vault');
  });

  it('describes where the keys live, never with credentials', () => {
    const text = keystoreDefinition.describe!(config({ engine: 'secret', version: 'v2', prefix: 'kes', namespace: 'ns1', transit: { key: 'wrap' } }));
    expect(text).toBe('http://127.0.0.1:1 (K/V v2 at secret/kes/, namespace ns1, transit key wrap, AppRole login)');
    expect(text).not.toContain('S3CRET');
  });

  it('creates a keystore without waiting for Vault (a dead endpoint still opens)', async () => {
    const ks = await keystoreDefinition.create(config(), context);
    expect(ks).toBeInstanceOf(VaultKeystore);
    await ks.close();
    await ks.close();
  });

  it('stops the start when a TLS file is missing or holds no certificate, naming the file', async () => {
    await expect(keystoreDefinition.create(config({ tls: { ca: 'missing.pem' } }), { ...context, cwd: dir })).rejects.toThrow(`tls.ca 'missing.pem'`);
    await expect(keystoreDefinition.create(config({ tls: { ca: join(dir, 'readme.txt') } }), context)).rejects.toThrow(/holds no PEM certificate/);
    await expect(keystoreDefinition.create(config({ tls: { cert: join(dir, 'readme.txt'), key: join(dir, 'client.key') } }), context)).rejects.toThrow(/tls.cert .* holds no valid PEM certificate/);
    await expect(keystoreDefinition.create(config({ tls: { cert: join(dir, 'client.crt'), key: join(dir, 'client.crt') } }), context)).rejects.toThrow(/tls.key .* holds no PEM private key/);
  });

  it('an aborted start rejects with the reason', async () => {
    const reason = new Error('SIGTERM');
    await expect(keystoreDefinition.create(config(), { ...context, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('loadTlsMaterial', () => {
  it('reads a CA file, or every certificate of a CA directory, and the client pair (relative to cwd)', async () => {
    const fromFile = await loadTlsMaterial({ ca: 'client.crt', cert: 'client.crt', key: 'client.key' }, dir);
    expect(fromFile.ca).toHaveLength(1);
    expect(fromFile.cert?.toString()).toContain('BEGIN CERTIFICATE');
    expect(fromFile.key?.toString()).toContain('PRIVATE KEY');
    const fromDir = await loadTlsMaterial({ ca: dir }, '/');
    expect(fromDir.ca).toHaveLength(1); // client.crt; readme.txt and client.key are skipped
    expect(fromDir.cert).toBeUndefined();
  });
});
