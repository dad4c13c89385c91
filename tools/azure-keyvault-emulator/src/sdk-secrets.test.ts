import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from './index.js';
import { clientFor, rawRequest, sdkFailure, vaultToken } from './test/harness.js';

let emu: Emulator;
let client: SecretClient;

beforeAll(async () => {
  emu = await startEmulator();
  client = clientFor(emu);
});
afterAll(() => emu.stop());
beforeEach(() => {
  emu.vault().clearSecrets();
  return emu.vault().resetKnobs();
});

async function collect<T>(pages: AsyncIterableIterator<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const p of pages) out.push(p);
  return out;
}

describe('secrets through the real SDK', () => {
  it('sets and gets a secret; the first request is the unauthenticated challenge', async () => {
    emu.vault().clearRequests();
    const fresh = clientFor(emu);
    const set = await fresh.setSecret('kes-key-1', 'dGVzdA==');
    expect(set.value).toBe('dGVzdA==');
    expect(set.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(set.properties.id).toBe(`${emu.vaultUrl}/secrets/kes-key-1/${set.properties.version}`);
    expect(set.properties.recoveryLevel).toBe('CustomizedRecoverable+Purgeable');
    expect(set.properties.recoverableDays).toBe(7);
    expect((set.properties.createdOn?.getTime() ?? 1) % 1000).toBe(0); // integer seconds on the wire
    const got = await fresh.getSecret('kes-key-1');
    expect(got.value).toBe('dGVzdA==');
    const log = emu.vault().requests();
    expect(log[0]).toMatchObject({ method: 'PUT', status: 401, authenticated: false });
    expect(log[1]).toMatchObject({ method: 'PUT', status: 200, authenticated: true });
    expect(log[2]?.url).toMatch(/^\/secrets\/kes-key-1\/\?api%2Dversion=2025-07-01$/); // trailing slash + encoded dash
  });

  it('keeps versions, gets a version, and lists versions (unknown name → empty list)', async () => {
    const v1 = await client.setSecret('multi', 'one');
    const v2 = await client.setSecret('multi', 'two', { contentType: 'application/octet-stream', tags: { kes: 'true' } });
    expect((await client.getSecret('multi')).value).toBe('two');
    expect((await client.getSecret('multi', { version: v1.properties.version ?? '' })).value).toBe('one');
    const versions = [];
    for await (const p of client.listPropertiesOfSecretVersions('multi')) versions.push(p.version);
    expect(versions).toEqual([v1.properties.version, v2.properties.version]);
    const none = [];
    for await (const p of client.listPropertiesOfSecretVersions('does-not-exist')) none.push(p);
    expect(none).toEqual([]);
    const e = await sdkFailure(client.getSecret('multi', { version: '0123456789abcdef0123456789abcdef' }));
    expect(e).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
  });

  it('pages lists with maxresults and nextLink, also across empty pages', async () => {
    for (const n of ['kes-key-1', 'kes-key-2', 'kes-key-3']) await client.setSecret(n, n);
    const pages = await collect(client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 }));
    expect(pages.map((p) => p.map((s) => s.name))).toEqual([['kes-key-1', 'kes-key-2'], ['kes-key-3']]);
    await emu.vault().setKnobs({ emptyPages: 2 });
    const withEmpty = await collect(client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 }));
    expect(withEmpty.map((p) => p.length)).toEqual([0, 0, 2, 1]);
    const all = [];
    for await (const s of client.listPropertiesOfSecrets()) all.push(s.name);
    expect(all).toEqual(['kes-key-1', 'kes-key-2', 'kes-key-3']);
  });

  it('treats names case-insensitively and keeps the original case in ids', async () => {
    await client.setSecret('CaseKey', 'a');
    const got = await client.getSecret('casekey');
    expect(got.name).toBe('CaseKey');
    await client.setSecret('CASEKEY', 'b');
    const versions = [];
    for await (const p of client.listPropertiesOfSecretVersions('caseKEY')) versions.push(p.name);
    expect(versions).toEqual(['CaseKey', 'CaseKey']);
  });

  it('rejects invalid names and oversized values like the real service', async () => {
    expect(await sdkFailure(client.setSecret('bad_name', 'x'))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
      message: 'The request URI contains an invalid name: bad_name',
    });
    const tooBig = await sdkFailure(client.setSecret('big', 'x'.repeat(25_601)));
    expect(tooBig).toMatchObject({ statusCode: 400, code: 'BadParameter', inner: 'SecretTooLarge' });
    await expect(client.setSecret('big', 'x'.repeat(25_600))).resolves.toBeDefined();
  });

  it('updates properties; a disabled secret is 403 SecretDisabled, expired and not-yet-valid ones are readable', async () => {
    const s = await client.setSecret('toggle', 'v');
    const updated = await client.updateSecretProperties('toggle', s.properties.version ?? '', { enabled: false, tags: { a: 'b' } });
    expect(updated.enabled).toBe(false);
    expect(updated.tags).toEqual({ a: 'b' });
    expect(await sdkFailure(client.getSecret('toggle'))).toMatchObject({ statusCode: 403, code: 'Forbidden', inner: 'SecretDisabled' });
    const past = new Date(Date.now() - 86_400_000);
    const future = new Date(Date.now() + 86_400_000);
    await client.setSecret('expired', 'e', { expiresOn: past });
    await client.setSecret('early', 'n', { notBefore: future });
    expect((await client.getSecret('expired')).properties.expiresOn?.getTime()).toBe(Math.floor(past.getTime() / 1000) * 1000);
    expect((await client.getSecret('early')).value).toBe('n');
    await client.setSecret('born-disabled', 'x', { enabled: false });
    expect(await sdkFailure(client.getSecret('born-disabled'))).toMatchObject({ inner: 'SecretDisabled' });
  });

  it('backs up and restores a secret; a malformed blob is rejected', async () => {
    await client.setSecret('to-backup', 'precious');
    const blob = await client.backupSecret('to-backup');
    expect(blob).toBeInstanceOf(Uint8Array);
    await (await client.beginDeleteSecret('to-backup', { intervalInMs: 50 })).pollUntilDone();
    await client.purgeDeletedSecret('to-backup');
    const restored = await client.restoreSecretBackup(blob ?? new Uint8Array());
    expect(restored.name).toBe('to-backup');
    expect((await client.getSecret('to-backup')).value).toBe('precious');
    expect(await sdkFailure(client.restoreSecretBackup(blob ?? new Uint8Array()))).toMatchObject({ statusCode: 409, code: 'Conflict' });
    expect(await sdkFailure(client.restoreSecretBackup(new Uint8Array(64)))).toMatchObject({
      statusCode: 400,
      code: 'Malformed backup blob',
    });
  });

  it('answers a pinned older serviceVersion and rejects unknown api-versions', async () => {
    const old = clientFor(emu, { options: { serviceVersion: '7.5' } });
    await old.setSecret('pinned', 'p');
    expect((await old.getSecret('pinned')).value).toBe('p');
    const token = await vaultToken(emu);
    const r = await rawRequest(emu, 'GET', `${emu.vaultUrl}/secrets/pinned?api-version=7.3-bogus`, { token });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: {
        code: 'BadParameter',
        message: 'The specified version (7.3-bogus) is not recognized. Consider using the latest supported version (2025-07-01).',
      },
    });
    await emu.vault().setKnobs({ apiVersions: ['7.5'] });
    expect(await sdkFailure(client.getSecret('pinned'))).toMatchObject({ statusCode: 400, code: 'BadParameter' });
  });

  it('answers the challenge before reading the body (a malformed PUT without a token gets 401)', async () => {
    const r = await rawRequest(emu, 'PUT', `${emu.vaultUrl}/secrets/x?api-version=7.5`, { body: '{not json' });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`Bearer authorization="${emu.authorityHost}/${emu.tenantId}", resource="https://vault.azure.net"`);
    const token = await vaultToken(emu);
    const bad = await rawRequest(emu, 'PUT', `${emu.vaultUrl}/secrets/x?api-version=7.5`, { body: '{not json', token });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: { code: 'BadParameter', message: 'Property  has invalid value\r\n' } });
  });
});
