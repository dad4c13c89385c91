import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeystore } from '@kes/keystore-memory';
import { startServer } from './server.js';
import { apiKeyCert, type CertPair } from './testing/certs.js';
import { expectEmptyOk, expectJsonOk, expectKesError } from './testing/expect-error.js';
import { FlakyKeystore } from './testing/flaky-keystore.js';
import { baseOptions, createFixtures, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

let fx: Fixtures;
let app: CertPair;
let ops: CertPair;
let srv: TestServer;
let keystore: FlakyKeystore;
beforeAll(async () => {
  fx = await createFixtures();
  app = await apiKeyCert();
  ops = await apiKeyCert();
  keystore = new FlakyKeystore();
  srv = await startTestServer(fx, {
    keystore,
    policies: {
      'my-app': { allow: ['/v1/key/create/*', '/v1/identity/self/describe', '/v1/metrics'], deny: ['/v1/key/create/x*'], identities: [app.identity] },
      ops: { allow: [], deny: [], identities: [ops.identity] },
    },
    api: { '/v1/api': { timeoutMs: 30_000 } },
  });
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

describe('server routes', () => {
  it('GET /version answers without any authentication', async () => {
    expect(expectJsonOk(await srv.client(null).request('/version'))).toEqual({ version: '2025-01-01T00-00-00Z', commit: 'abc123' });
  });

  it('GET /v1/status reports the system and the keystore latency', async () => {
    const s = expectJsonOk(await srv.client().request('/v1/status'));
    expect(Object.keys(s)).toEqual(['version', 'os', 'arch', 'uptime', 'num_cpu', 'num_cpu_used', 'mem_heap_used', 'mem_stack_used', 'keystore_latency']);
    expect(s).toMatchObject({ version: '2025-01-01T00-00-00Z', os: 'linux', keystore_latency: 1 });
    expect(Number.isInteger(s.uptime)).toBe(true);
    expect(['amd64', 'arm64']).toContain(s.arch);
  });

  it('GET /v1/status and /v1/ready report an unreachable or unavailable keystore', async () => {
    const c = srv.client();
    try {
      keystore.mode = 'unreachable';
      const s = expectJsonOk(await c.request('/v1/status'));
      expect(s).toMatchObject({ keystore_unreachable: true, keystore_unavailable: true });
      expect(s).not.toHaveProperty('keystore_latency');
      expectKesError(await c.request('/v1/ready'), 504, 'key store is not reachable');
      keystore.mode = 'broken';
      expectKesError(await c.request('/v1/ready'), 502, 'key store is unavailable');
      expect(srv.stderr.lines.some((l) => / level=WARN msg="keystore is not ready: /.test(l))).toBe(true);
    } finally {
      keystore.mode = 'ok';
    }
    expectEmptyOk(await c.request('/v1/ready'));
  });

  it('GET /v1/api lists every route with the api: overrides applied', async () => {
    const apis = expectJsonOk<Array<{ method: string; path: string; max_body: number; timeout: number }>>(await srv.client().request('/v1/api'));
    expect(apis).toHaveLength(23);
    expect(apis).toContainEqual({ method: 'GET', path: '/v1/api', max_body: 0, timeout: 30 });
    expect(apis).toContainEqual({ method: 'PUT', path: '/v1/key/hmac/', max_body: 1_000_000, timeout: 15 });
    expect(apis).toContainEqual({ method: 'GET', path: '/v1/log/error', max_body: 0, timeout: 0 });
  });

  it('GET /v1/metrics counts authenticated key/policy/identity requests only', async () => {
    const s = await startTestServer(fx, { policies: { p: { allow: ['/v1/key/describe/*'], deny: [], identities: [app.identity] } } });
    try {
      const admin = s.client();
      await admin.request('/v1/key/create/m', { method: 'POST' });
      await admin.request('/v1/key/describe/m');
      await admin.request('/v1/key/describe/missing');
      await admin.request('/v1/status');
      await s.client(app).request('/v1/key/create/m2', { method: 'POST' }); // 403: never counted
      await s.client(app).request('/v1/key/describe/m');
      s.keystore.close();
      await admin.request('/v1/key/describe/gone');
      const res = await admin.request('/v1/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8; escaping=underscores');
      expect(res.text).toMatch(/^kes_http_request_success\{code="200"\} 3$/m);
      expect(res.text).toMatch(/^kes_http_request_error\{code="404"\} 1$/m);
      expect(res.text).not.toMatch(/code="403"/);
      expect(res.text).toMatch(/^kes_http_request_failure\{code="502"\} 1$/m);
      expect(res.text).toMatch(/^kes_http_response_time_count 5$/m);
      expect(res.text).toMatch(/^kes_http_request_active 0$/m);
      for (const name of ['up_time', 'num_cpu', 'num_cpu_used', 'num_threads', 'mem_heap_used', 'mem_heap_objects', 'mem_stack_used']) {
        expect(res.text).toMatch(new RegExp(`^kes_system_${name} [0-9.e+]+$`, 'm'));
      }
      expect(res.text).not.toMatch(/^(process|nodejs)_/m);
    } finally {
      await s.close();
    }
  });
});

describe('policy routes', () => {
  it('describes, reads and lists policies', async () => {
    const c = srv.client(undefined, 'h2');
    const d = expectJsonOk(await c.request('/v1/policy/describe/my-app'));
    expect(d).toEqual({ name: 'my-app', created_at: expect.stringMatching(RFC3339), created_by: fx.admin.identity });
    const r = expectJsonOk(await c.request('/v1/policy/read/my-app'));
    expect(r).toEqual({
      name: 'my-app',
      allow: { '/v1/key/create/*': {}, '/v1/identity/self/describe': {}, '/v1/metrics': {} },
      deny: { '/v1/key/create/x*': {} },
      created_at: d.created_at,
      created_by: fx.admin.identity,
    });
    expect(expectJsonOk(await c.request('/v1/policy/read/ops'))).not.toHaveProperty('allow');
    expect(expectJsonOk(await c.request('/v1/policy/list/'))).toEqual({ names: ['my-app', 'ops'], continue_at: '' });
    expect(expectJsonOk(await c.request('/v1/policy/list'))).toEqual({ names: ['my-app', 'ops'], continue_at: '' });
    expect(expectJsonOk(await c.request('/v1/policy/list/my*'))).toEqual({ names: ['my-app'], continue_at: '' });
    expectKesError(await c.request('/v1/policy/describe/nope'), 404, 'policy does not exist');
    expectKesError(await c.request('/v1/policy/read/nope'), 404, 'policy does not exist');
    expectKesError(await c.request('/v1/policy/describe/a.b'), 400, "policy name 'a.b' is empty, too long or contains invalid characters");
    expectKesError(await c.request('/v1/policy/list/*x'), 400, "listing pattern '*x' is empty, too long or is invalid");
  });
});

describe('identity routes', () => {
  it('describes and lists identities, the admin included', async () => {
    const c = srv.client();
    expect(expectJsonOk(await c.request(`/v1/identity/describe/${fx.admin.identity}`))).toEqual({ admin: true, created_at: expect.stringMatching(RFC3339) });
    expect(expectJsonOk(await c.request(`/v1/identity/describe/${app.identity}`))).toEqual({ policy: 'my-app', created_at: expect.stringMatching(RFC3339), created_by: fx.admin.identity });
    expectKesError(await c.request(`/v1/identity/describe/${'0'.repeat(64)}`), 404, 'identity does not exist');
    expectKesError(await c.request(`/v1/identity/describe/${'a'.repeat(81)}`), 400, `identity '${'a'.repeat(81)}' is empty, too long or contains invalid characters`);
    const all = expectJsonOk(await c.request('/v1/identity/list'));
    expect(all).toEqual({ identities: [app.identity, ops.identity, fx.admin.identity].sort(), continue_at: '' });
    const one = expectJsonOk(await c.request(`/v1/identity/list/${fx.admin.identity.slice(0, 6)}*`));
    expect(one.identities).toContain(fx.admin.identity);
  });

  it('self-describes the admin and (shape B) policy members; 404 for others', async () => {
    expect(expectJsonOk(await srv.client().request('/v1/identity/self/describe'))).toEqual({ identity: fx.admin.identity, admin: true, created_at: expect.stringMatching(RFC3339) });
    expect(expectJsonOk(await srv.client(app).request('/v1/identity/self/describe'))).toEqual({
      identity: app.identity,
      admin: false,
      created_at: expect.stringMatching(RFC3339),
      created_by: fx.admin.identity,
      policy: 'my-app',
      allow: { '/v1/key/create/*': {}, '/v1/identity/self/describe': {}, '/v1/metrics': {} },
      deny: { '/v1/key/create/x*': {} },
    });
    // self-describe needs no policy permission: ops has none
    expect(expectJsonOk(await srv.client(ops).request('/v1/identity/self/describe'))).toMatchObject({ policy: 'ops', allow: {}, deny: {} });
    expectKesError(await srv.client(await apiKeyCert()).request('/v1/identity/self/describe'), 404, 'identity does not exist');
  });
});

describe('keys: at start-up', () => {
  it('creates missing keys as the admin and accepts existing ones', async () => {
    const keystore = new MemoryKeystore();
    await keystore.create('existing', Buffer.from('{"bytes":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}'));
    const s = await startTestServer(fx, { keystore, keys: ['minio-key', 'existing'] });
    try {
      expect(expectJsonOk(await s.client().request('/v1/key/describe/minio-key'))).toMatchObject({ algorithm: 'AES256', created_by: fx.admin.identity });
      expect(expectJsonOk(await s.client().request('/v1/key/describe/existing')).created_at).toBe('0001-01-01T00:00:00Z');
    } finally {
      await s.close();
    }
  });

  it('refuses to start when a key cannot be created, closing the keystore', async () => {
    const keystore = new FlakyKeystore();
    keystore.mode = 'broken';
    await expect(startServer(baseOptions(fx, { keystore, keys: ['k1'] }))).rejects.toThrow("failed to create key 'k1': backend exploded");
    expect(keystore.closed).toBe(true);
  });

  it('refuses to start on a busy port', async () => {
    await expect(startServer(baseOptions(fx, { listen: { host: '127.0.0.1', port: srv.server.port } }))).rejects.toThrow(/EADDRINUSE/);
  });
});
