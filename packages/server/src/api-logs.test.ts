import { get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogLevel } from './log/levels.js';
import { apiKeyCert, type CertPair } from './testing/certs.js';
import { FlakyKeystore } from './testing/flaky-keystore.js';
import { createFixtures, logsWritten, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';
import { subscribe } from './testing/log-subscriber.js';

let fx: Fixtures;
let app: CertPair;
let srv: TestServer;
let keystore: FlakyKeystore;
beforeAll(async () => {
  fx = await createFixtures();
  app = await apiKeyCert();
  keystore = new FlakyKeystore();
  srv = await startTestServer(fx, { keystore, policies: { app: { allow: ['/v1/key/describe/*'], deny: [], identities: [app.identity] } } });
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

describe('audit log', () => {
  it('writes one JSON event per handled request to stdout, including 4xx/5xx and auth failures', async () => {
    const s = await startTestServer(fx);
    try {
      const c = s.client();
      await c.request('/v1/key/create/a', { method: 'POST' });
      await c.request('/v1/key/describe/-bad');
      await c.request('/v1/key/describe/missing');
      await s.client(app).request('/v1/key/describe/a');
      await s.client(null).request('/v1/status');
      await c.request('/v1/unknown'); // not a route: no event
      await c.request('/v1/key/create/a'); // 405: no event
      await logsWritten();
      const events = s.stdout.lines.map((l) => JSON.parse(l));
      expect(events.map((e) => [e.request.path, e.response.code])).toEqual([
        ['/v1/key/create/a', 200],
        ['/v1/key/describe/-bad', 400],
        ['/v1/key/describe/missing', 404],
        ['/v1/key/describe/a', 403],
        ['/v1/status', 400],
      ]);
      for (const e of events) {
        expect(Object.keys(e)).toEqual(['time', 'request', 'response']);
        expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        expect(e.request.ip).toBe('127.0.0.1');
        expect(Number.isInteger(e.response.time)).toBe(true);
        expect(e.response.time).toBeGreaterThan(1000); // nanoseconds
      }
      expect(events[0].request.identity).toBe(fx.admin.identity);
      expect(events[3].request.identity).toBe(app.identity);
      expect(events[4].request.identity).toBe('');
      expect(s.stdout.lines.join('\n')).not.toMatch(/plaintext|ciphertext/);
    } finally {
      await s.close();
    }
  });

  it('stays off stdout when the audit level is above INFO', async () => {
    const s = await startTestServer(fx, { log: { auditLevel: LogLevel.OFF } });
    try {
      await s.client().request('/v1/status');
      await logsWritten();
      expect(s.stdout.lines).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it.each(['h1', 'h2'] as const)('streams events as ndjson to every /v1/log/audit subscriber (%s)', async (protocol) => {
    const a = await subscribe(srv, fx, '/v1/log/audit', protocol);
    const b = await subscribe(srv, fx, '/v1/log/audit', protocol === 'h1' ? 'h2' : 'h1');
    try {
      expect(a.contentType).toBe('application/x-ndjson');
      const mark = `stream-${protocol}`;
      await srv.client().request(`/v1/key/describe/${mark}`);
      const pick = (lines: string[]) => lines.map((l) => JSON.parse(l)).filter((e) => e.request.path.endsWith(mark));
      await a.waitFor(3);
      await b.waitFor(2);
      expect(pick(a.lines)).toEqual([expect.objectContaining({ response: expect.objectContaining({ code: 404 }) })]);
      expect(pick(b.lines)).toHaveLength(1);
      // the subscriber sees its own connection event first (as upstream's examples show)
      expect(JSON.parse(a.lines[0]!).request.path).toBe('/v1/log/audit');
      a.close();
      await new Promise((r) => setTimeout(r, 50));
      await srv.client().request(`/v1/key/describe/${mark}-2`);
      await b.waitFor(3);
    } finally {
      a.close();
      b.close();
    }
  });

  it('requires authorization for the streams', async () => {
    const res = await srv.client(app).request('/v1/log/audit');
    expect(res.status).toBe(403);
  });
});

describe('error log', () => {
  it('writes slog text lines to stderr and streams them as {"message": line}', async () => {
    const sub = await subscribe(srv, fx, '/v1/log/error', 'h2');
    try {
      keystore.mode = 'broken';
      await srv.client().request('/v1/key/describe/err-key');
      keystore.mode = 'ok';
      const [line] = await sub.waitFor(1);
      const message = JSON.parse(line!).message as string;
      expect(Object.keys(JSON.parse(line!))).toEqual(['message']);
      expect(message).toMatch(/^time=\S+ level=ERROR msg="failed to read key: backend exploded" req\.method=GET req\.path=\/v1\/key\/describe\/err-key req\.ip=127\.0\.0\.1 req\.identity=[0-9a-f]{64}$/);
      expect(srv.stderr.lines).toContain(message);
      const metrics = await srv.client().request('/v1/metrics');
      expect(metrics.text).toMatch(/^kes_log_error_events 1$/m);
      expect(metrics.text).toMatch(/^kes_log_audit_events \d+$/m);
    } finally {
      keystore.mode = 'ok';
      sub.close();
    }
  });

  it('keeps 501 and readiness answers out of the ERROR records', async () => {
    const s = await startTestServer(fx, { keystore: new FlakyKeystore() });
    try {
      await s.keystore.create('legacy', Buffer.from(JSON.stringify({ bytes: Buffer.alloc(32).toString('base64') })));
      expect((await s.client().request('/v1/key/hmac/legacy', { method: 'PUT', body: '{"message":""}' })).status).toBe(501);
      (s.options.keystore as FlakyKeystore).mode = 'unreachable';
      expect((await s.client().request('/v1/ready')).status).toBe(504);
      expect(s.stderr.lines.filter((l) => l.includes('level=ERROR'))).toEqual([]);
      expect(s.stderr.lines.filter((l) => l.includes('level=WARN'))).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('honours the error level', async () => {
    const s = await startTestServer(fx, { keystore: new FlakyKeystore(), log: { errorLevel: LogLevel.OFF } });
    try {
      (s.options.keystore as FlakyKeystore).mode = 'broken';
      await s.client().request('/v1/key/describe/x');
      await s.client().request('/v1/ready');
      expect(s.stderr.lines).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('logs TLS handshake failures at INFO', async () => {
    const before = srv.stderr.lines.length;
    await expect(
      new Promise((resolve, reject) => {
        const req = get(`${srv.server.url}/version`, { ca: fx.admin.certPem, agent: false }, resolve);
        req.on('error', reject);
      }),
    ).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.stderr.lines.slice(before).some((l) => / level=INFO msg="http: TLS handshake error from /.test(l))).toBe(true);
  });
});
