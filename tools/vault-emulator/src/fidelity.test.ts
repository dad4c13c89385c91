/**
 * The emulator against the real client (node-vault), request by request as in spec `aws-vault.md` §4.2.
 */
import createVaultClient from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultEmulator, type VaultEmulator } from './emulator.js';

type Client = ReturnType<typeof createVaultClient> & { namespace?: string };
let emulator: VaultEmulator;
const client = (extra: Record<string, unknown> = {}): Client =>
  createVaultClient({ endpoint: emulator.address, token: emulator.rootToken, debug: () => undefined, ...extra } as Parameters<typeof createVaultClient>[0]) as Client;
const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: { message: string; response?: { statusCode: number; body: unknown } }) => e);

beforeAll(async () => {
  emulator = await startVaultEmulator({ namespaces: ['ns1'], approle: { tokenTtlSeconds: 60 } });
});
afterAll(() => emulator.stop());

describe('vault emulator with node-vault', () => {
  it('AppRole login sets the token; a wrong secret is 400 "invalid role or secret ID"', async () => {
    const c = client({ token: undefined });
    c.token = '';
    const login = await c.approleLogin({ role_id: emulator.approle.roleId, secret_id: emulator.approle.secretId });
    expect(login.auth).toMatchObject({ lease_duration: 60, renewable: true, token_type: 'service' });
    expect(c.token).toBe(login.auth.client_token);
    const err = await failure(c.approleLogin({ role_id: emulator.approle.roleId, secret_id: 'wrong' }));
    expect(err.message).toBe('invalid role or secret ID');
    expect(err.response?.statusCode).toBe(400);
  });

  it('K/V v2: 404 {"errors":[]}, cas:0 create, CAS conflict, versioned read, soft delete, metadata delete', async () => {
    const c = client();
    const missing = await failure(c.read('kv/data/t/my-key'));
    expect(missing.response).toEqual({ statusCode: 404, body: { errors: [] } });
    const written = await c.write('kv/data/t/my-key', { options: { cas: 0 }, data: { 'my-key': 'v1' } });
    expect(written.data.version).toBe(1);
    const conflict = await failure(c.write('kv/data/t/my-key', { options: { cas: 0 }, data: { 'my-key': 'v2' } }));
    expect(conflict.response).toEqual({ statusCode: 400, body: { errors: ['check-and-set parameter did not match the current version'] } });
    await c.write('kv/data/t/my-key', { options: { cas: 1 }, data: { 'my-key': 'v2' } });
    expect((await c.read('kv/data/t/my-key?version=1')).data.data).toEqual({ 'my-key': 'v1' });
    expect((await c.read('kv/data/t/my-key')).data).toMatchObject({ data: { 'my-key': 'v2' }, metadata: { version: 2 } });
    await c.delete('kv/data/t/my-key');
    const soft = await failure(c.read('kv/data/t/my-key'));
    expect(soft.response?.statusCode).toBe(404);
    expect(soft.response?.body).toMatchObject({ data: { data: null, metadata: { version: 2, destroyed: false } } });
    expect((await c.read('kv/metadata/t/my-key')).data).toMatchObject({ current_version: 2, oldest_version: 1 });
    expect(await c.delete('kv/metadata/t/my-key')).toBe('');
    expect(await c.delete('kv/metadata/t/my-key')).toBe(''); // 204 again
    expect((await failure(c.read('kv/metadata/t/my-key'))).response?.statusCode).toBe(404);
  });

  it('lists with the LIST verb and with GET ?list=1; empty lists are 404 {"errors":[]}; folders end in /', async () => {
    const c = client();
    await c.write('kv/data/l/a', { data: { a: '1' } });
    await c.write('kv/data/l/sub/b', { data: { b: '1' } });
    expect((await c.list('kv/metadata/l')).data.keys).toEqual(['a', 'sub/']);
    expect((await client({ noCustomHTTPVerbs: true }).list('kv/metadata/l/')).data.keys).toEqual(['a', 'sub/']);
    expect((await failure(c.list('kv/metadata/empty'))).response).toEqual({ statusCode: 404, body: { errors: [] } });
  });

  it('a v1 path on a v2 mount is a 404 with a warning and no data; an unknown mount is "no handler for route"', async () => {
    const c = client();
    const wrong = await failure(c.read('kv/l/a'));
    expect(wrong.response?.statusCode).toBe(404);
    expect(wrong.response?.body).toMatchObject({ data: null, warnings: [expect.stringContaining('Invalid path for a versioned K/V secrets engine')] });
    const route = await failure(c.read('nothing/here'));
    expect(route.message).toBe('no handler for route "nothing/here". route entry not found.');
  });

  it('K/V v1: write 204, read 200 with data, delete 204', async () => {
    const c = client();
    expect(await c.write('kv1/t2/k1', { k1: 'v' })).toBe('');
    expect(await c.read('kv1/t2/k1')).toMatchObject({ data: { k1: 'v' }, lease_duration: 2_764_800 });
    expect(await c.delete('kv1/t2/k1')).toBe('');
    expect((await failure(c.read('kv1/t2/k1'))).response?.statusCode).toBe(404);
  });

  it('transit: encrypt gives vault:v1:, decrypt gives the base64 back, a wrong ciphertext is 400', async () => {
    const c = client();
    const { data } = await c.write('transit/encrypt/kes', { plaintext: Buffer.from('secret').toString('base64') });
    expect(data.ciphertext).toMatch(/^vault:v1:/);
    expect((await c.write('transit/decrypt/kes', { ciphertext: data.ciphertext })).data.plaintext).toBe(Buffer.from('secret').toString('base64'));
    const tampered = `${data.ciphertext.slice(0, -4)}AAAA`;
    expect((await failure(c.write('transit/decrypt/kes', { ciphertext: tampered }))).response?.statusCode).toBe(400);
    expect((await failure(c.write('transit/decrypt/missing', { ciphertext: data.ciphertext }))).message).toBe('encryption key not found');
  });

  it('token lookup-self and renew-self; an expired token is 403 "permission denied"', async () => {
    const c = client();
    await c.approleLogin({ role_id: emulator.approle.roleId, secret_id: emulator.approle.secretId });
    expect((await c.tokenLookupSelf()).data).toMatchObject({ ttl: 60, renewable: true, path: 'auth/approle/login' });
    expect((await c.tokenRenewSelf({ increment: 10 })).auth.lease_duration).toBe(10);
    expect((await c.tokenRenewSelf({ increment: 0 })).auth.lease_duration).toBe(60);
    emulator.expireTokens();
    const denied = await failure(c.read('kv/data/t/x'));
    expect(denied.response).toEqual({ statusCode: 403, body: { errors: ['permission denied'] } });
  });

  it('health: default codes, *code parameters, HEAD, sealed, namespaced → 404 "unsupported path" (resolved by node-vault)', async () => {
    const c = client();
    expect(await c.health()).toMatchObject({ initialized: true, sealed: false, standby: false });
    emulator.knobs.standby = true;
    const head = await fetch(`${emulator.address}/v1/sys/health`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([429, '']);
    expect((await fetch(`${emulator.address}/v1/sys/health?standbyok=true`)).status).toBe(200);
    emulator.knobs.standby = false;
    emulator.seal(true);
    try {
      expect((await fetch(`${emulator.address}/v1/sys/health`)).status).toBe(503);
      expect((await fetch(`${emulator.address}/v1/sys/health?sealedcode=299`)).status).toBe(299);
      expect(await c.health()).toMatchObject({ sealed: true });
      expect((await failure(c.read('kv/data/t/x'))).response).toEqual({ statusCode: 503, body: { errors: ['Vault is sealed'] } });
    } finally {
      emulator.seal(false);
    }
    expect(await client({ namespace: 'ns1' }).health()).toEqual({ errors: ['unsupported path'] });
  });

  it('namespaces keep separate data; a root token works in every namespace', async () => {
    const ns = client({ namespace: 'ns1' });
    await ns.write('kv/data/only-in-ns1', { data: { x: '1' } });
    expect((await ns.read('kv/data/only-in-ns1')).data.data).toEqual({ x: '1' });
    expect((await failure(client().read('kv/data/only-in-ns1'))).response?.statusCode).toBe(404);
    expect((await failure(client({ namespace: 'nope' }).read('kv/data/x'))).response?.statusCode).toBe(404);
  });

  it('fault knobs answer what the test asks, the given number of times', async () => {
    emulator.knobs.faults.push({ method: 'GET', path: 'kv/data/', status: 429, errors: ['rate limited'], times: 2 });
    const c = client();
    await c.write('kv/data/f', { data: { f: '1' } });
    for (let i = 0; i < 2; i++) expect((await failure(c.read('kv/data/f'))).response?.statusCode).toBe(429);
    expect((await c.read('kv/data/f')).data.data).toEqual({ f: '1' });
    expect(emulator.requests.count({ path: '/v1/kv/data/f', status: 429 })).toBe(2);
  });
});
