/**
 * The client against tiny local HTTPS stubs: wire format of requests, error parsing, legacy listings, TLS trust,
 * timeouts, log streams.
 */
import { ApiKey } from '@kes/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KesClient } from './client.js';
import type { KesClientOptions } from './options.js';
import { isKesClientError, isKeyExists, isNotAllowed, type KesClientError } from './errors.js';
import { FAST_RETRY, makePki, refusedPort, sendError, sendJson, startStub, type Pki, type Stub, type StubHandler } from './fixtures.spec.js';

let pki: Pki;
const apiKey = ApiKey.generate();
const stubs: Stub[] = [];
const clients: KesClient[] = [];

beforeAll(() => {
  pki = makePki();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(stubs.splice(0).map((s) => s.close()));
});
afterAll(() => pki.cleanup());

async function stub(handler: StubHandler): Promise<Stub> {
  const s = await startStub(pki, handler);
  stubs.push(s);
  return s;
}

async function client(endpoints: string | string[], extra: Partial<KesClientOptions> = {}): Promise<KesClient> {
  const c = await KesClient.create({ endpoints, apiKey: apiKey.toString(), caFile: pki.caFile, retry: FAST_RETRY, ...extra });
  clients.push(c);
  return c;
}

async function rejection(p: Promise<unknown>): Promise<KesClientError> {
  try {
    await p;
  } catch (err) {
    if (isKesClientError(err)) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('wire format', () => {
  it('sends the Go SDK methods, paths and bodies with the client certificate', async () => {
    const s = await stub((req, res) => {
      const path = req.url ?? '';
      if (path.startsWith('/v1/key/encrypt/')) return sendJson(res, 200, { ciphertext: b64('ct') });
      if (path.startsWith('/v1/key/decrypt/')) return sendJson(res, 200, { plaintext: '' });
      if (path.startsWith('/v1/key/generate/')) return sendJson(res, 200, { plaintext: b64('p'), ciphertext: b64('c') });
      if (path.startsWith('/v1/key/hmac/')) return sendJson(res, 200, { hmac: b64('h') });
      res.writeHead(200, { 'Content-Length': 0 }).end();
    });
    const c = await client(s.url);
    await c.createKey('my-key');
    await c.importKey('imp', { key: new Uint8Array(32) });
    await c.importKey('imp2', { key: new Uint8Array(32).fill(1), cipher: 'ChaCha20' });
    expect(Buffer.from(await c.encrypt('k', Buffer.from('hi')))).toEqual(Buffer.from('ct'));
    expect(await c.decrypt('k', Buffer.from('ct'), Buffer.from('ctx'))).toEqual(Buffer.alloc(0));
    const dek = await c.generateKey('k');
    expect(Buffer.from(dek.plaintext).toString()).toBe('p');
    await c.generateKey('k', Buffer.from('ctx'));
    expect(Buffer.from(await c.hmac('k', Buffer.from('m'))).toString()).toBe('h');
    await c.deleteKey('my-key');
    expect(s.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/v1/key/create/my-key', ''],
      ['POST', '/v1/key/import/imp', JSON.stringify({ key: Buffer.alloc(32).toString('base64'), cipher: 'AES256' })],
      ['POST', '/v1/key/import/imp2', JSON.stringify({ key: Buffer.alloc(32, 1).toString('base64'), cipher: 'ChaCha20' })],
      ['POST', '/v1/key/encrypt/k', JSON.stringify({ plaintext: b64('hi') })],
      ['POST', '/v1/key/decrypt/k', JSON.stringify({ ciphertext: b64('ct'), context: b64('ctx') })],
      ['POST', '/v1/key/generate/k', '{}'],
      ['POST', '/v1/key/generate/k', JSON.stringify({ context: b64('ctx') })],
      ['PUT', '/v1/key/hmac/k', JSON.stringify({ message: b64('m') })],
      ['DELETE', '/v1/key/delete/my-key', ''],
    ]);
    expect(s.requests.every((r) => r.peerCert)).toBe(true);
    expect(c.identity).toBe(apiKey.identity);
  });

  it('rejects a malformed success body with INVALID_RESPONSE', async () => {
    const s = await stub((_req, res) => sendJson(res, 200, { ciphertext: 'not base64!' }));
    const c = await client(s.url);
    expect((await rejection(c.encrypt('k', Buffer.from('x')))).code).toBe('INVALID_RESPONSE');
  });
});

describe('errors from the server', () => {
  it('maps legacy and current texts to the same typed errors', async () => {
    const answers: Array<[number, string]> = [
      [400, 'key does already exist'],
      [400, 'key already exists'],
      [403, 'prohibited by policy'],
      [403, 'not authorized: insufficient permissions'],
    ];
    const s = await stub((_req, res) => {
      const [status, message] = answers.shift() as [number, string];
      sendError(res, status, message);
    });
    const c = await client(s.url);
    expect(isKeyExists(await rejection(c.createKey('a')))).toBe(true);
    expect(isKeyExists(await rejection(c.createKey('a')))).toBe(true);
    expect(isNotAllowed(await rejection(c.describeKey('a')))).toBe(true);
    const e = await rejection(c.describeKey('a'));
    expect(isNotAllowed(e)).toBe(true);
    expect(e.message).toBe('not authorized: insufficient permissions');
    expect(e.endpoint).toBe(s.url);
  });

  it('uses a non-JSON body verbatim (Go 404 page)', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
    });
    const e = await rejection((await client(s.url)).version());
    expect([e.code, e.status, e.message]).toEqual(['HTTP', 404, '404 page not found\n']);
  });
});

describe('listings', () => {
  it('understands the legacy ndjson listing and escapes * like Go', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.end('{"name":"key-b"}\n{"name":"key-a","algorithm":"AES256"}\n');
    });
    const c = await client(s.url);
    expect(await c.listKeys('*').all()).toEqual(['key-a', 'key-b']);
    expect(await c.listKeys().all()).toEqual(['key-a', 'key-b']);
    expect(s.requests.map((r) => r.path)).toEqual(['/v1/key/list/%2A', '/v1/key/list/']);
  });

  it('throws the error line of a legacy listing', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.end('{"name":"a"}\n{"error":"failed to list keys"}\n');
    });
    const e = await rejection((await client(s.url)).listKeys('a').all());
    expect(e.message).toBe('failed to list keys');
  });

  it('reads JSON identity listings', async () => {
    const s = await stub((_req, res) => sendJson(res, 200, { identities: ['x', 'y'], continue_at: '' }));
    expect(await (await client(s.url)).listIdentities('*').all()).toEqual(['x', 'y']);
    expect(s.requests[0]?.path).toBe('/v1/identity/list/%2A');
  });
});

describe('TLS trust and network failures', () => {
  it('explains an untrusted server certificate and accepts --insecure', async () => {
    const s = await stub((_req, res) => sendJson(res, 200, { version: 'v', commit: 'c' }));
    const strict = await client(s.url, { caFile: undefined });
    const e = await rejection(strict.version());
    expect(e.code).toBe('CERT_UNTRUSTED');
    expect(e.message).toContain(s.url);
    expect(e.message).toMatch(/--insecure/);
    const insecure = await client(s.url, { caFile: undefined, insecure: true });
    expect(await insecure.version()).toEqual({ version: 'v', commit: 'c' });
  });

  it('explains a server that rejects the client certificate', async () => {
    const s = await startStub(pki, (_req, res) => sendJson(res, 200, {}), { rejectUnauthorized: true, ca: pki.serverCertPem });
    stubs.push(s);
    const e = await rejection((await client(s.url)).version());
    expect(e.code).toBe('TLS');
    expect(e.message).toMatch(/client certificate/);
    expect(e.message).toContain(s.url);
    expect(s.requests).toHaveLength(0);
  });

  it('explains an unreachable server, naming the endpoint', async () => {
    const url = `https://127.0.0.1:${await refusedPort()}`;
    const e = await rejection((await client(url)).version());
    expect(e.code).toBe('UNREACHABLE');
    expect(e.message).toContain(url);
    expect(e.message).toMatch(/connection refused/);
  });

  it('times out and aborts', async () => {
    const s = await stub(() => {
      /* never answers */
    });
    const c = await client(s.url);
    const t = await rejection(c.version({ timeoutMs: 150 }));
    expect(t.code).toBe('TIMEOUT');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect((await rejection(c.status({ signal: ac.signal }))).code).toBe('ABORTED');
    expect((await rejection(c.status({ signal: AbortSignal.abort() }))).code).toBe('ABORTED');
  });
});

describe('log streams', () => {
  it('yields ndjson events as they arrive and ends on close()', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write('{"time":"2023-03-24T12:37:33Z","request":{"path":"/v1/log/audit","identity":"dd46"},');
      setTimeout(() => res.write('"response":{"code":200, "time":12106}}\n'), 20);
      setTimeout(() => res.write('{"time":"t2","request":{"ip":"1.2.3.4","path":"/p","identity":"i"},"response":{"code":403,"time":5}}\n'), 40);
    });
    const stream = await (await client(s.url)).auditLog();
    const events = [];
    for await (const e of stream) {
      events.push(e);
      if (events.length === 2) stream.close();
    }
    expect(events).toEqual([
      { time: '2023-03-24T12:37:33Z', request: { path: '/v1/log/audit', identity: 'dd46' }, response: { code: 200, time: 12106 } },
      { time: 't2', request: { ip: '1.2.3.4', path: '/p', identity: 'i' }, response: { code: 403, time: 5 } },
    ]);
  });

  it('ends quietly when the signal aborts, and maps a refusal to an error', async () => {
    const s = await stub((req, res) => {
      if (req.url === '/v1/log/audit') return sendError(res, 403, 'prohibited by policy');
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write('{"message":"2023/03/24 14:46:10 aws: boom"}\n');
    });
    const c = await client(s.url);
    expect(isNotAllowed(await rejection(c.auditLog()))).toBe(true);
    const ac = new AbortController();
    const stream = await c.errorLog({ signal: ac.signal });
    const messages: string[] = [];
    for await (const e of stream) {
      messages.push(e.message);
      ac.abort();
    }
    expect(messages).toEqual(['2023/03/24 14:46:10 aws: boom']);
  });
});

describe('metrics', () => {
  it('asks for the text format and parses it', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores' });
      res.end('# TYPE kes_http_request_success counter\nkes_http_request_success{code="200"} 5\n# TYPE kes_system_num_cpu gauge\nkes_system_num_cpu 2\n');
    });
    const m = await (await client(s.url)).metrics();
    expect([m.requestOK, m.cpus]).toEqual([5, 2]);
    expect(s.requests[0]?.headers['accept']).toMatch(/^text\/plain/);
  });
});
