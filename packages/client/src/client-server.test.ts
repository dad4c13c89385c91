/**
 * Every client method against a real server (`@kes/server` + `@kes/keystore-memory`) started in-process.
 * The admin authenticates with an API key, a policy-bound user with certificate + key files.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { ApiKey } from '@kes/core';
import { MemoryKeystore } from '@kes/keystore-memory';
import { startServer, type KesServer } from '@kes/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KesClient } from './client.js';
import { isDecryptFailed, isKesClientError, isKeyExists, isKeyNotFound, isNotAllowed, type KesClientError } from './errors.js';
import { makePki, type Pki } from './fixtures.spec.js';

let pki: Pki;
let server: KesServer;
let admin: KesClient;
let user: KesClient;
const adminKey = ApiKey.generate();
let userIdentity: string;

async function rejection(p: Promise<unknown>): Promise<KesClientError> {
  try {
    await p;
  } catch (err) {
    if (isKesClientError(err)) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  pki = makePki();
  const spki = new X509Certificate(pki.clientCertPem).publicKey.export({ type: 'spki', format: 'der' });
  userIdentity = createHash('sha256').update(spki).digest('hex');
  const sink = new PassThrough();
  sink.resume();
  server = await startServer({
    keystore: new MemoryKeystore(),
    listen: { host: '127.0.0.1', port: 0 },
    tls: { key: pki.serverKeyPem, cert: pki.serverCertPem, auth: 'off' },
    adminIdentity: adminKey.identity,
    policies: {
      app: {
        allow: ['/v1/key/create/app-*', '/v1/key/generate/app-*', '/v1/key/decrypt/app-*', '/v1/key/list/*'],
        deny: ['/v1/key/create/app-forbidden'],
        identities: [userIdentity],
      },
    },
    log: { stdout: sink, stderr: sink, errorLevel: -4 },
    version: { version: '2025-01-01T00-00-00Z', commit: 'abc123' },
  });
  admin = await KesClient.create({ endpoints: server.url, apiKey: adminKey.toString(), caFile: pki.caFile });
  user = await KesClient.create({ endpoints: server.url, certFile: pki.clientCertFile, keyFile: pki.clientKeyFile, caFile: pki.caFile });
});

afterAll(async () => {
  await admin?.close();
  await user?.close();
  await server?.close();
  pki?.cleanup();
});

describe('server information', () => {
  it('version, ready, status, apis, metrics', async () => {
    expect(await admin.version()).toEqual({ version: '2025-01-01T00-00-00Z', commit: 'abc123' });
    await admin.ready();
    const status = await admin.status();
    expect(status.cpus).toBeGreaterThan(0);
    expect(status.keystoreLatencyMs).toBeGreaterThanOrEqual(1);
    expect([status.keystoreUnreachable, status.keystoreUnavailable]).toEqual([false, false]);
    const apis = await admin.apis();
    expect(apis).toContainEqual({ method: 'PUT', path: '/v1/key/create/', maxBody: 0, timeoutSeconds: 15 });
    expect(apis.find((a) => a.path === '/v1/log/audit')?.timeoutSeconds).toBe(0);
    await admin.createKey('metric-key').catch(() => undefined);
    const m = await admin.metrics();
    expect(m.requestOK).toBeGreaterThan(0);
    expect(m.cpus).toBeGreaterThan(0);
    expect(m.latencyHistogram.length).toBeGreaterThan(0);
  });
});

describe('keys', () => {
  it('create, describe, exists, delete', async () => {
    await admin.createKey('key-1');
    expect(isKeyExists(await rejection(admin.createKey('key-1')))).toBe(true);
    const info = await admin.describeKey('key-1');
    expect(info).toMatchObject({ name: 'key-1', algorithm: 'AES256', createdBy: adminKey.identity });
    expect(info.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await admin.deleteKey('key-1');
    expect(isKeyNotFound(await rejection(admin.describeKey('key-1')))).toBe(true);
  });

  it('rejects invalid names with the server message', async () => {
    const e = await rejection(admin.createKey('bad/name'));
    expect([e.code, e.status]).toEqual(['HTTP', 400]);
    expect(e.message).toBe("key name 'bad/name' is empty, too long or contains invalid characters");
  });

  it('import (AES256 and ChaCha20), encrypt/decrypt round trip with and without context', async () => {
    await admin.importKey('imp-aes', { key: new Uint8Array(32).fill(7) });
    await admin.importKey('imp-chacha', { key: new Uint8Array(32).fill(9), cipher: 'ChaCha20' });
    expect((await admin.describeKey('imp-chacha')).algorithm).toBe('ChaCha20');
    expect((await rejection(admin.importKey('imp-short', { key: new Uint8Array(16) }))).status).toBe(406);
    for (const name of ['imp-aes', 'imp-chacha']) {
      const ct = await admin.encrypt(name, Buffer.from('hello'), Buffer.from('ctx'));
      expect(Buffer.from(await admin.decrypt(name, ct, Buffer.from('ctx'))).toString()).toBe('hello');
      expect(isDecryptFailed(await rejection(admin.decrypt(name, ct)))).toBe(true);
      const empty = await admin.encrypt(name, new Uint8Array(0));
      expect(await admin.decrypt(name, empty)).toHaveLength(0);
    }
  });

  it('generate a data key, decrypt it, hmac, bulk decrypt', async () => {
    await admin.createKey('dek-key');
    const dek = await admin.generateKey('dek-key', Buffer.from('bucket/object'));
    expect(dek.plaintext).toHaveLength(32);
    expect(await admin.decrypt('dek-key', dek.ciphertext, Buffer.from('bucket/object'))).toEqual(dek.plaintext);
    const plain = await admin.generateKey('dek-key');
    expect(await admin.decrypt('dek-key', plain.ciphertext)).toEqual(plain.plaintext);
    const mac = await admin.hmac('dek-key', Buffer.from('message'));
    expect(mac).toHaveLength(32);
    expect(await admin.hmac('dek-key', Buffer.from('message'))).toEqual(mac);
    const bulk = await admin.bulkDecrypt('dek-key', [
      { ciphertext: dek.ciphertext, context: Buffer.from('bucket/object') },
      { ciphertext: plain.ciphertext },
    ]);
    expect(bulk).toEqual([dek.plaintext, plain.plaintext]);
  });

  it('lists keys by prefix and with a trailing *', async () => {
    for (const n of ['list-b', 'list-a', 'list-c']) await admin.createKey(n);
    expect(await admin.listKeys('list').all()).toEqual(['list-a', 'list-b', 'list-c']);
    // A trailing '-' is not a valid pattern (spec §2.2): the server's message comes through.
    expect((await rejection(admin.listKeys('list-').all())).message).toBe("listing pattern 'list-' is empty, too long or is invalid");
    expect(await admin.listKeys('list-*').all()).toEqual(['list-a', 'list-b', 'list-c']);
    const all = await admin.listKeys().all();
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['list-a', 'imp-aes']));
    const pages = [];
    for await (const page of admin.listKeys('*').pages()) pages.push(page);
    expect(pages.at(-1)?.continueAt).toBe('');
  });
});

describe('policies and identities', () => {
  it('describe, read and list policies', async () => {
    expect(await admin.describePolicy('app')).toMatchObject({ name: 'app', createdBy: adminKey.identity });
    const doc = await admin.readPolicy('app');
    expect(doc.allow).toEqual(expect.arrayContaining(['/v1/key/create/app-*', '/v1/key/list/*']));
    expect(doc.deny).toEqual(['/v1/key/create/app-forbidden']);
    expect(await admin.listPolicies('*').all()).toEqual(['app']);
    expect(isKesClientError(await rejection(admin.describePolicy('nope')), 'POLICY_NOT_FOUND')).toBe(true);
  });

  it('describe and list identities, describe self (admin and user)', async () => {
    expect(await admin.describeIdentity(userIdentity)).toMatchObject({ identity: userIdentity, admin: false, policy: 'app' });
    expect(await admin.describeIdentity(adminKey.identity)).toMatchObject({ admin: true });
    const unknown = 'f'.repeat(64);
    expect(isKesClientError(await rejection(admin.describeIdentity(unknown)), 'IDENTITY_NOT_FOUND')).toBe(true);
    expect(await admin.listIdentities().all()).toEqual([adminKey.identity, userIdentity].sort());
    expect(await admin.describeSelf()).toMatchObject({ identity: adminKey.identity, admin: true });
    const self = await user.describeSelf();
    expect(self).toMatchObject({ identity: userIdentity, admin: false, policyName: 'app' });
    expect(self.allow).toContain('/v1/key/generate/app-*');
    expect(user.identity).toBe(userIdentity);
  });

  it('enforces the policy for the user (legacy denial text maps to NOT_ALLOWED)', async () => {
    await user.createKey('app-1');
    const dek = await user.generateKey('app-1');
    expect(await user.decrypt('app-1', dek.ciphertext)).toEqual(dek.plaintext);
    expect(isNotAllowed(await rejection(user.createKey('other')))).toBe(true);
    expect(isNotAllowed(await rejection(user.createKey('app-forbidden')))).toBe(true);
    expect(isNotAllowed(await rejection(user.status()))).toBe(true);
    expect(await user.listKeys('app*').all()).toEqual(['app-1']);
  });
});

describe('log streams', () => {
  it('streams audit events of requests made while subscribed', async () => {
    const stream = await admin.auditLog();
    await admin.createKey('audited-key');
    let found;
    for await (const e of stream) {
      if (e.request.path === '/v1/key/create/audited-key') {
        found = e;
        stream.close();
      }
    }
    expect(found?.request.identity).toBe(adminKey.identity);
    expect(found?.response.code).toBe(200);
  });

  it('streams error events and ends when aborted', async () => {
    const ac = new AbortController();
    const stream = await admin.errorLog({ signal: ac.signal });
    await rejection(user.createKey('not-allowed-key'));
    const messages: string[] = [];
    for await (const e of stream) {
      messages.push(e.message);
      ac.abort();
    }
    expect(messages.length).toBeGreaterThan(0);
  });
});
