import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCert, type CertPair } from './testing/certs.js';
import { expectEmptyOk, expectJsonOk, expectKesError } from './testing/expect-error.js';
import { FlakyKeystore } from './testing/flaky-keystore.js';
import { createFixtures, logsWritten, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';

let fx: Fixtures;
let srv: TestServer;
let reader: CertPair;
beforeAll(async () => {
  fx = await createFixtures();
  reader = await apiKeyCert();
  srv = await startTestServer(fx, {
    policies: { reader: { allow: ['/v1/key/describe/*', '/v1/key/list/*'], deny: [], identities: [reader.identity] } },
  });
  await srv.client().request('/v1/key/create/k', { method: 'POST' });
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

describe.each(['h1', 'h2'] as const)('routing over %s', (protocol) => {
  it('answers unknown paths like Go ServeMux', async () => {
    for (const path of ['/v1/unknown', '/', '/v1/status/', '/v1/key']) {
      const res = await srv.client(undefined, protocol).request(path);
      expect({ path, status: res.status, body: res.text }).toEqual({ path, status: 404, body: '404 page not found\n' });
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });

  it('answers a wrong method with 405, the Accept header and the exact message', async () => {
    const c = srv.client(undefined, protocol);
    const res = await c.request('/v1/key/create/x');
    expectKesError(res, 405, "received method 'GET' expected 'PUT'");
    expect(res.headers.accept).toBe('PUT');
    expectKesError(await c.request('/v1/key/describe/k', { method: 'POST' }), 405, "received method 'POST' expected 'GET'");
    expectKesError(await c.request('/v1/key/delete/k', { method: 'GET' }), 405, "received method 'GET' expected 'DELETE'");
    const head = await c.request('/v1/status', { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.accept).toBe('GET');
  });

  it('redirects unclean paths and rejects malformed escapes', async () => {
    const c = srv.client(undefined, protocol);
    const r = await c.request('/v1//key/describe/./k?enclave=x');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/v1/key/describe/k?enclave=x');
    const bad = await c.request('/v1/key/describe/%zz');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('decodes %2A, treats ..%2F as part of a name, and ignores enclave selectors', async () => {
    const c = srv.client(undefined, protocol);
    expect(expectJsonOk(await c.request('/v1/key/list/%2A')).names).toContain('k');
    expectKesError(await c.request('/v1/key/describe/..%2Fk'), 400, "key name '../k' is empty, too long or contains invalid characters");
    expectKesError(await c.request('/v1/key/create/..%2F..%2Fetc%2Fpasswd', { method: 'POST' }), 400, "key name '../../etc/passwd' is empty, too long or contains invalid characters");
    expectKesError(await c.request('/v1/key/describe/%3Cx%3E'), 400, "key name '<x>' is empty, too long or contains invalid characters");
    expectJsonOk(await c.request('/v1/key/describe/k?enclave=tenant-1', { headers: { 'kes-enclave': 'tenant-1' } }));
  });
});

describe('check order (spec §1.2)', () => {
  it('authorizes before validating names, validates names before bodies, bodies before the keystore', async () => {
    const r = srv.client(reader);
    expectKesError(await r.request('/v1/key/create/..%2Fx', { method: 'POST' }), 403, 'prohibited by policy');
    expectKesError(await r.request('/v1/key/describe/..%2Fx'), 400, "key name '../x' is empty, too long or contains invalid characters");
    const a = srv.client();
    expectKesError(await a.request('/v1/key/encrypt/-x', { method: 'POST', body: '{' }), 400, "key name '-x' is empty, too long or contains invalid characters");
    expectKesError(await a.request('/v1/key/encrypt/missing', { method: 'POST', body: '{' }), 400, 'invalid request body');
    expectKesError(await a.request('/v1/key/encrypt/missing', { method: 'POST', body: '{}' }), 404, 'key does not exist');
    expectKesError(await a.request('/v1/key/create/x', { method: 'GET' }), 405, "received method 'GET' expected 'PUT'");
    expectKesError(await r.request('/v1/key/create/x', { method: 'GET' }), 405, "received method 'GET' expected 'PUT'");
  });

  it('serves list routes without the trailing slash, authorized as if it were there', async () => {
    const r = srv.client(reader);
    expect(expectJsonOk(await r.request('/v1/key/list')).names).toContain('k');
    expectKesError(await r.request('/v1/policy/list'), 403, 'prohibited by policy');
    expect(expectJsonOk(await srv.client().request('/v1/identity/list')).identities).toContain(reader.identity);
  });

  it('ignores a body sent to a route without one and keeps serving', async () => {
    const c = srv.client();
    expectEmptyOk(await c.request('/v1/key/create/with-body', { method: 'POST', body: 'ignored', chunked: true }));
    expectJsonOk(await c.request('/v1/key/describe/with-body'));
  });
});

describe('timeouts', () => {
  it('tears the stream down when a route timeout expires, and the server keeps serving', async () => {
    const keystore = new FlakyKeystore();
    const s = await startTestServer(fx, { keystore, api: { '/v1/key/describe/': { timeoutMs: 200 } } });
    try {
      await s.client().request('/v1/key/create/slow', { method: 'POST' });
      keystore.mode = 'hang';
      const h1 = s.client();
      const t0 = performance.now();
      await expect(h1.request('/v1/key/describe/slow')).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
      const h2 = s.client(undefined, 'h2');
      await expect(h2.request('/v1/key/describe/slow')).rejects.toThrow(/stream closed without a response|NGHTTP2_CANCEL/);
      keystore.mode = 'ok';
      expectJsonOk(await h2.request('/v1/key/describe/slow'));
      await logsWritten();
      expect(s.stdout.lines.map((l) => JSON.parse(l)).filter((e) => e.response.code === 503)).toHaveLength(2);
      const api = expectJsonOk(await h2.request('/v1/api'));
      expect(api).toContainEqual({ method: 'GET', path: '/v1/key/describe/', max_body: 0, timeout: 0 });
    } finally {
      await s.close();
    }
  });
});
