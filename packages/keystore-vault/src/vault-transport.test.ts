import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VaultRequestError } from './vault-request-error.js';
import { VaultTransport } from './vault-transport.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let endpoint = '';
const seen: Seen[] = [];
let answer: (req: IncomingMessage) => { status: number; body?: unknown; hang?: boolean } = () => ({ status: 200, body: { data: {} } });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const a = answer(req);
      if (a.hang) return;
      if (a.body === undefined) return void res.writeHead(a.status).end();
      res.writeHead(a.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen.length = 0;
  answer = () => ({ status: 200, body: { data: {} } });
});

const transport = (timeout = 2000) => new VaultTransport({ endpoint, requestTimeoutMs: timeout });

describe('VaultTransport (node-vault with the §4.3 workarounds)', () => {
  it('sends token and namespace per request, X-Vault-Request, and no keep-alive', async () => {
    await transport().read('kv/data/a?version=1', { token: 'tok', namespace: 'ns1/team' });
    const [r] = seen;
    expect(r).toMatchObject({ method: 'GET', url: '/v1/kv/data/a?version=1' });
    expect(r!.headers).toMatchObject({ 'x-vault-token': 'tok', 'x-vault-namespace': 'ns1/team', 'x-vault-request': 'true', connection: 'close' });
  });

  it('ignores VAULT_TOKEN, VAULT_NAMESPACE and VAULT_PREFIX from the environment', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { VAULT_TOKEN: 'env-token', VAULT_NAMESPACE: 'env-ns', VAULT_PREFIX: '/env-prefix' });
    try {
      const t = transport();
      await t.read('kv/x', {});
      await t.health();
    } finally {
      for (const k of ['VAULT_TOKEN', 'VAULT_NAMESPACE', 'VAULT_PREFIX']) if (saved[k] === undefined) delete process.env[k];
    }
    for (const r of seen) {
      expect(r.headers['x-vault-token']).toBeUndefined();
      expect(r.headers['x-vault-namespace']).toBeUndefined();
      expect(r.url.startsWith('/v1/')).toBe(true);
    }
  });

  it('lists with GET ?list=1 and asks health with the *code=299 query, without namespace or token', async () => {
    const t = transport();
    await t.list('kv/metadata/tenant/', { token: 't', namespace: 'ns' });
    answer = () => ({ status: 299, body: { initialized: true, sealed: false } });
    expect(await t.health()).toEqual({ initialized: true, sealed: false });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/v1/kv/metadata/tenant/?list=1' });
    expect(seen[1]!.url).toBe('/v1/sys/health?uninitcode=299&sealedcode=299&standbycode=299&drsecondarycode=299&performancestandbycode=299');
    expect(seen[1]!.headers['x-vault-namespace']).toBeUndefined();
    expect(seen[1]!.headers['x-vault-token']).toBeUndefined();
  });

  it('writes JSON with POST and resolves 204 answers', async () => {
    answer = () => ({ status: 204 });
    await transport().write('kv/a', { a: 'v' }, { token: 't' });
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"a":"v"}' });
    expect(seen[0]!.headers['content-type']).toMatch(/application\/json/);
  });

  it('rejects non-2xx answers with a VaultRequestError carrying status, errors and body', async () => {
    answer = () => ({ status: 400, body: { errors: ['check-and-set parameter did not match the current version'] } });
    const err = await transport().write('kv/data/a', {}, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultRequestError);
    expect(err).toMatchObject({ status: 400, isCasConflict: true, operation: 'POST kv/data/a' });
  });

  it('a connection refused or a timeout is a network error', async () => {
    const refused = await new VaultTransport({ endpoint: 'http://127.0.0.1:1', requestTimeoutMs: 1000 }).read('x', {}).catch((e: unknown) => e);
    expect(refused).toMatchObject({ isNetwork: true, code: 'ECONNREFUSED' });
    answer = () => ({ status: 200, hang: true });
    const slow = await transport(100).read('x', {}).catch((e: unknown) => e);
    expect(slow).toMatchObject({ isNetwork: true, code: 'ECONNABORTED' });
  });

  it('an abort rejects with the reason at once and tears the connection down', async () => {
    answer = () => ({ status: 200, hang: true });
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = transport(10_000).read('x', { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(transport().read('x', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('close cancels requests in flight', async () => {
    answer = () => ({ status: 200, hang: true });
    const t = transport(10_000);
    const pending = t.read('x', {});
    await new Promise((r) => setTimeout(r, 50));
    t.close();
    await expect(pending).rejects.toMatchObject({ isNetwork: true });
  });
});
