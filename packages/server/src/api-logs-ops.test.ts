import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogLevel } from './log/levels.js';
import { expectJsonOk } from './testing/expect-error.js';
import { FlakyKeystore } from './testing/flaky-keystore.js';
import { createFixtures, logsWritten, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';
import { subscribe, type Subscription } from './testing/log-subscriber.js';
import { rawTls } from './testing/raw-socket.js';

const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const post = (body: unknown) => ({ method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let fx: Fixtures;
beforeAll(async () => {
  fx = await createFixtures();
});
afterAll(() => fx?.pki.dispose());

async function withServer(overrides: Parameters<typeof startTestServer>[1], run: (s: TestServer) => Promise<void>): Promise<void> {
  const s = await startTestServer(fx, overrides);
  try {
    await run(s);
  } finally {
    await s.close();
  }
}

describe('audit events', () => {
  it('stdout: JSON with method, path, identity, client IP, status and latency; the stream: exactly the §9.1 object', () =>
    withServer({}, async (s) => {
      const sub = await subscribe(s, fx, '/v1/log/audit', 'h2');
      try {
        await s.client().request('/v1/key/create/a', { method: 'PUT' });
        const [, line] = await sub.waitFor(2);
        await logsWritten();
        const streamed = JSON.parse(line!);
        const out = s.stdout.lines.map((l) => JSON.parse(l)).find((e) => e.request.path === '/v1/key/create/a');
        expect(out).toEqual({
          time: streamed.time,
          request: { method: 'PUT', ip: '127.0.0.1', path: '/v1/key/create/a', identity: fx.admin.identity },
          response: { code: 200, time: streamed.response.time },
        });
        expect(Object.keys(streamed.request)).toEqual(['ip', 'path', 'identity']);
        expect(streamed.response.time).toBeGreaterThan(1000); // nanoseconds
      } finally {
        sub.close();
      }
    }));

  it('one event per handled request, also when concurrent, timed out or abandoned', () => {
    const keystore = new FlakyKeystore();
    return withServer({ keystore, api: { '/v1/key/describe/': { timeoutMs: 300 } } }, async (s) => {
      await s.client().request('/v1/key/create/k', { method: 'POST' });
      await logsWritten();
      const before = s.stdout.lines.length;
      const h1 = s.client();
      const h2 = s.client(undefined, 'h2');
      const requests: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        const c = i % 2 === 0 ? h1 : h2;
        requests.push(c.request(i % 3 === 0 ? `/v1/key/describe/missing-${i}` : '/v1/key/describe/k'));
        requests.push(c.request(`/v1/key/generate/k`, post('{}')));
      }
      await Promise.all(requests);
      keystore.mode = 'hang'; // uncached key + hanging keystore: the route timeout fires
      await expect(h2.request('/v1/key/describe/uncached')).rejects.toThrow();
      const gone = await rawTls(s.server.port, fx.admin); // a client that leaves before the answer
      gone.socket.write('GET /v1/key/describe/uncached-2 HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await sleep(100);
      gone.socket.destroy();
      await sleep(100);
      keystore.mode = 'ok';
      await logsWritten();
      const events = s.stdout.lines.slice(before).map((l) => JSON.parse(l));
      expect(events).toHaveLength(42);
      expect(events.filter((e) => e.response.code === 503)).toHaveLength(1);
      expect(events.filter((e) => e.response.code === 499)).toHaveLength(1);
      expect(events.filter((e) => e.response.code === 404)).toHaveLength(7);
    });
  });

  it.each([4, 12])('fans out each event at once to %i subscribers (HTTP/1.1 and HTTP/2 mixed)', (n) =>
    withServer({}, async (s) => {
      const subs: Subscription[] = [];
      for (let i = 0; i < n; i++) subs.push(await subscribe(s, fx, '/v1/log/audit', i % 2 === 0 ? 'h1' : 'h2'));
      try {
        const c = s.client();
        for (let round = 1; round <= 3; round++) {
          await c.request(`/v1/key/describe/round-${round}`);
          // flushed per event: every subscriber has this round's line before the next request is sent
          for (const [i, sub] of subs.entries()) {
            const lines = await sub.waitFor(n - i + round);
            expect(JSON.parse(lines.at(-1)!).request.path).toBe(`/v1/key/describe/round-${round}`);
          }
        }
      } finally {
        for (const sub of subs) sub.close();
      }
    }),
  );
});

describe('error log format', () => {
  it('log.format json: stderr gets slog JSON objects with a req group; the stream keeps the text line', () => {
    const keystore = new FlakyKeystore();
    return withServer({ keystore, log: { format: 'json' } }, async (s) => {
      const sub = await subscribe(s, fx, '/v1/log/error', 'h1');
      try {
        keystore.mode = 'broken';
        await s.client().request('/v1/key/describe/x');
        const [line] = await sub.waitFor(1);
        expect(JSON.parse(line!).message).toMatch(/^time=\S+ level=ERROR msg="failed to read key: backend exploded" req\.method=GET /);
        const record = JSON.parse(s.stderr.lines.at(-1)!);
        expect(record).toEqual({
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/),
          level: 'ERROR',
          msg: 'failed to read key: backend exploded',
          req: { method: 'GET', path: '/v1/key/describe/x', ip: '127.0.0.1', identity: fx.admin.identity },
        });
      } finally {
        sub.close();
      }
    });
  });
});

describe('no key material in any log', () => {
  it.each(['text', 'json'] as const)('plaintexts, data keys, imported keys and stored keys never reach stdout, stderr or the streams (%s)', (format) => {
    const keystore = new FlakyKeystore();
    return withServer({ keystore, log: { format, errorLevel: LogLevel.DEBUG } }, async (s) => {
      const audit = await subscribe(s, fx, '/v1/log/audit', 'h2');
      const errors = await subscribe(s, fx, '/v1/log/error', 'h1');
      const secrets: string[] = [];
      const remember = (bytes: Buffer) => secrets.push(bytes.toString('base64'), bytes.toString('hex'), bytes.toString('latin1'));
      try {
        for (const protocol of ['h1', 'h2'] as const) {
          const c = s.client(undefined, protocol);
          const name = `k-${protocol}`;
          await c.request(`/v1/key/create/${name}`, { method: 'POST' });
          const g = expectJsonOk(await c.request(`/v1/key/generate/${name}`, post({ context: b64('ctx') })));
          remember(Buffer.from(g.plaintext, 'base64'));
          expectJsonOk(await c.request(`/v1/key/decrypt/${name}`, post({ ciphertext: g.ciphertext, context: b64('ctx') })));
          const plain = randomBytes(24);
          remember(plain);
          expectJsonOk(await c.request(`/v1/key/encrypt/${name}`, post({ plaintext: b64(plain) })));
          const imported = randomBytes(32);
          remember(imported);
          await c.request(`/v1/key/import/${name}-imp`, post({ key: b64(imported), cipher: 'AES256' }));
          remember(Buffer.from(await keystore.inner.get(name)));
          // failures with secrets in the body: malformed JSON, wrong context, keystore failures
          const leaked = randomBytes(16);
          remember(leaked);
          await c.request(`/v1/key/encrypt/${name}`, post(`{"plaintext":"${b64(leaked)}"`));
          await c.request(`/v1/key/encrypt/${name}`, post(`{"plaintext":${JSON.stringify(leaked.toString('latin1'))}}`));
          await c.request(`/v1/key/decrypt/${name}`, post({ ciphertext: g.ciphertext, context: b64('other') }));
          keystore.mode = 'broken';
          await c.request(`/v1/key/import/${name}-broken`, post({ key: b64(leaked), cipher: 'AES256' }));
          await c.request(`/v1/key/generate/${name}-uncached`, post({}));
          keystore.mode = 'ok';
        }
        await sleep(100);
        const everything = [...s.stdout.lines, ...s.stderr.lines, ...audit.lines, ...errors.lines].join('\n');
        expect(s.stdout.lines.length).toBeGreaterThan(10);
        expect(errors.lines.length).toBeGreaterThan(0);
        for (const secret of secrets) expect(everything.includes(secret), 'a secret reached a log').toBe(false);
      } finally {
        keystore.mode = 'ok';
        audit.close();
        errors.close();
      }
    });
  });
});
