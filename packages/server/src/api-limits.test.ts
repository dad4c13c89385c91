import { connect as h2connect, constants as h2c } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './limits/server-limits.js';
import { LogLevel } from './log/levels.js';
import { expectJsonOk } from './testing/expect-error.js';
import { FlakyKeystore } from './testing/flaky-keystore.js';
import { baseOptions, createFixtures, logsWritten, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';
import { drip, rawTcp, rawTls } from './testing/raw-socket.js';

let fx: Fixtures;
beforeAll(async () => {
  fx = await createFixtures();
});
afterAll(() => fx?.pki.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GET_VERSION = 'GET /version HTTP/1.1\r\nHost: localhost\r\n\r\n';

async function withServer(overrides: Parameters<typeof startTestServer>[1], run: (s: TestServer) => Promise<void>): Promise<void> {
  const s = await startTestServer(fx, overrides);
  try {
    await run(s);
  } finally {
    await s.close();
  }
}

/** Waits until `text()` contains `n` HTTP responses. */
async function responses(text: () => string, n: number, timeoutMs = 3000): Promise<void> {
  const t0 = performance.now();
  while ((text().match(/HTTP\/1\.1 200 OK/g) ?? []).length < n) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`expected ${n} responses, got: ${text()}`);
    await sleep(10);
  }
}

describe('defaults', () => {
  it('keep-alive is at least 90 s; handshake and header timeouts are 5 s like upstream', () => {
    expect(DEFAULT_LIMITS.idleTimeoutMs).toBeGreaterThanOrEqual(90_000);
    expect(DEFAULT_LIMITS.handshakeTimeoutMs).toBe(5_000);
    expect(DEFAULT_LIMITS.headerTimeoutMs).toBe(5_000);
  });

  it('rejects out-of-range limits at start', async () => {
    await expect(startTestServer(fx, { limits: { maxConnections: 0 } })).rejects.toThrow("invalid limit 'maxConnections': 0");
  });
});

describe('timeouts (slowloris)', () => {
  it('closes clients stuck in the TLS handshake and logs it, while others are served', () =>
    withServer({ limits: { handshakeTimeoutMs: 400 } }, async (s) => {
      const silent = await rawTcp(s.server.port);
      const partial = await rawTcp(s.server.port, Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
      expectJsonOk(await s.client().request('/version'));
      for (const conn of [silent, partial]) {
        const ms = await conn.closed;
        expect(ms).toBeGreaterThanOrEqual(380);
        expect(ms).toBeLessThan(2500);
      }
      expect(s.stderr.lines.filter((l) => l.includes('http: TLS handshake error from 127.0.0.1: handshake timeout'))).toHaveLength(2);
    }));

  it('closes HTTP/1.1 connections whose first request head is missing, partial or dripping after the header timeout', () =>
    withServer({ limits: { headerTimeoutMs: 400 } }, async (s) => {
      const silent = await rawTls(s.server.port, fx.admin);
      const partial = await rawTls(s.server.port, fx.admin);
      partial.socket.write('GET /version HTTP/1.1\r\nHost: localhost\r\n');
      const dripping = await rawTls(s.server.port, fx.admin);
      drip(dripping.socket, `GET /version HTTP/1.1\r\nX-Slow: ${'a'.repeat(500)}\r\n\r\n`, 20);
      for (const conn of [silent, partial, dripping]) {
        const ms = await conn.closed;
        expect(ms).toBeGreaterThanOrEqual(380);
        expect(ms).toBeLessThan(2500);
        expect(conn.received()).toBe('');
      }
      expectJsonOk(await s.client().request('/version'));
    }));

  it('keeps idle keep-alive connections for the idle period, and times the next request head from its first byte', { timeout: 20_000 }, () =>
    withServer({ limits: { headerTimeoutMs: 300, idleTimeoutMs: 1500 } }, async (s) => {
      const conn = await rawTls(s.server.port, fx.admin);
      conn.socket.write(GET_VERSION);
      await responses(conn.received, 1);
      await sleep(700); // well past the header timeout: idle is not a slow head
      expect(conn.isOpen()).toBe(true);
      conn.socket.write(GET_VERSION);
      await responses(conn.received, 2);
      const t0 = performance.now();
      conn.socket.write('GET /version HTTP/1.1\r\n'); // a head that never ends
      await conn.closed;
      const ms = performance.now() - t0;
      expect(ms).toBeGreaterThanOrEqual(280);
      expect(ms).toBeLessThan(1400);

      const idle = await rawTls(s.server.port, fx.admin);
      idle.socket.write(GET_VERSION);
      await responses(idle.received, 1);
      const idleSince = performance.now();
      await idle.closed;
      expect(performance.now() - idleSince).toBeGreaterThanOrEqual(1400);
    }));

  it('closes HTTP/2 sessions without a request within the header timeout; idle sessions after the idle period', { timeout: 20_000 }, () =>
    withServer({ limits: { headerTimeoutMs: 300, idleTimeoutMs: 1500 } }, async (s) => {
      const noPreface = await rawTls(s.server.port, fx.admin, 'h2');
      const ms = await noPreface.closed;
      expect(ms).toBeGreaterThanOrEqual(280);
      expect(ms).toBeLessThan(2500);

      const h2 = s.client(undefined, 'h2') as ReturnType<TestServer['client']> & { session: import('node:http2').ClientHttp2Session };
      expectJsonOk(await h2.request('/version'));
      await sleep(700);
      expect(h2.session.closed || h2.session.destroyed).toBe(false);
      expectJsonOk(await h2.request('/version'));
      const since = performance.now();
      await new Promise((r) => h2.session.once('close', r));
      expect(performance.now() - since).toBeGreaterThanOrEqual(1400);
    }));

  it('tears down slow request bodies when the route timeout expires (HTTP/1.1 and HTTP/2)', { timeout: 20_000 }, async () => {
    const api = { '/v1/key/generate/': { timeoutMs: 500 } };
    await withServer({ api }, async (s) => {
      expect((await s.client().request('/v1/key/create/k', { method: 'POST' })).status).toBe(200);
      const h1 = await rawTls(s.server.port, fx.admin);
      h1.socket.write('POST /v1/key/generate/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n');
      drip(h1.socket, '{"context":"', 50);
      const ms = await h1.closed;
      expect(ms).toBeGreaterThanOrEqual(450);
      expect(ms).toBeLessThan(2500);

      const session = h2connect(s.server.url, { ca: fx.server.certPem, cert: fx.admin.certPem, key: fx.admin.keyPem });
      session.on('error', () => undefined);
      try {
        const stream = session.request({ ':method': 'POST', ':path': '/v1/key/generate/k' }, { endStream: false });
        stream.on('error', () => undefined);
        drip(stream as unknown as import('node:net').Socket, '{"context":"aaaaaaaa', 50);
        const t0 = performance.now();
        await new Promise((r) => stream.once('close', r));
        expect(performance.now() - t0).toBeGreaterThanOrEqual(450);
        expect(stream.rstCode).toBe(h2c.NGHTTP2_CANCEL);
        // the session survives: other streams are served
        const ok = session.request({ ':path': '/version' });
        const status = await new Promise<number>((r) => ok.once('response', (h) => r(Number(h[':status']))));
        expect(status).toBe(200);
      } finally {
        session.destroy();
      }
      await logsWritten();
      const audited = s.stdout.lines.filter((l) => l.includes('/v1/key/generate/k')).map((l) => JSON.parse(l).response.code);
      expect(audited).toEqual([503, 503]);
    });
  });
});

describe('limits', () => {
  it('refuses request heads above maxHeaderBytes and announces the HTTP/2 limits', () =>
    withServer({ limits: { maxHeaderBytes: 4096, maxStreamsPerSession: 3 } }, async (s) => {
      const big = { 'x-big': 'a'.repeat(6000) };
      expect((await s.client().request('/version', { headers: big })).status).toBe(431);
      const h2 = s.client(undefined, 'h2') as ReturnType<TestServer['client']> & { session: import('node:http2').ClientHttp2Session };
      const refused = await h2.request('/version', { headers: big });
      expect({ status: refused.status, body: refused.text }).toEqual({ status: 431, body: '' });
      const settings = h2.session.remoteSettings;
      expect(settings.maxConcurrentStreams).toBe(3);
      expect(settings.maxHeaderListSize).toBe(4096);
      expectJsonOk(await s.client(undefined, 'h2').request('/version'));
    }));

  it('caps connections: a newcomer replaces a connection without a request, and is refused when all are busy', { timeout: 20_000 }, async () => {
    const keystore = new FlakyKeystore();
    await withServer({ keystore, limits: { maxConnections: 3 }, log: { errorLevel: LogLevel.DEBUG } }, async (s) => {
      const stuck = await Promise.all([rawTcp(s.server.port), rawTcp(s.server.port), rawTcp(s.server.port)]);
      expectJsonOk(await s.client().request('/version'));
      expect(stuck.filter((c) => !c.isOpen())).toHaveLength(1);
      expect(s.stderr.lines.some((l) => l.includes('closed connection from 127.0.0.1: evicted'))).toBe(true);
      for (const c of stuck) c.socket.destroy();
      await sleep(50);

      await s.client().request('/v1/key/create/k', { method: 'POST' });
      keystore.mode = 'slow';
      keystore.delayMs = 1500;
      const clients = [s.client(), s.client(), s.client(undefined, 'h2')];
      const busy = clients.map((c) => c.request('/v1/key/describe/k'));
      await sleep(300);
      const newcomer = await rawTcp(s.server.port);
      expect(await newcomer.closed).toBeLessThan(500);
      expect(s.stderr.lines.some((l) => l.includes('closed connection from 127.0.0.1: rejected'))).toBe(true);
      for (const r of await Promise.all(busy)) expectJsonOk(r);
      keystore.mode = 'ok';
      expectJsonOk(await clients[0]!.request('/v1/key/describe/k'));
    });
  });

  it('serves keep-alive clients throughout a flood of slow clients, and closes every slow one', { timeout: 20_000 }, () =>
    withServer({ limits: { maxConnections: 12, handshakeTimeoutMs: 300, headerTimeoutMs: 300 } }, async (s) => {
      const h1 = s.client();
      const h2 = s.client(undefined, 'h2');
      expectJsonOk(await h1.request('/v1/status'));
      expectJsonOk(await h2.request('/v1/status'));
      const attackers: Promise<{ closed: Promise<number> }>[] = [];
      let flooding = true;
      const flood = (async () => {
        for (let i = 0; flooding; i++) {
          attackers.push(i % 2 === 0 ? rawTcp(s.server.port) : rawTls(s.server.port).then((c) => (c.socket.write('GET / HTTP/1.1\r\n'), c)));
          await sleep(15);
        }
      })();
      let served = 0;
      const until = performance.now() + 1500;
      while (performance.now() < until) {
        expectJsonOk(await h1.request('/v1/status'));
        expectJsonOk(await h2.request('/v1/status'));
        served += 2;
      }
      flooding = false;
      await flood;
      // on a loaded machine the counts vary; what matters is that every keep-alive request above succeeded
      expect(attackers.length).toBeGreaterThan(12);
      expect(served).toBeGreaterThan(4);
      const settled = await Promise.allSettled(attackers);
      await Promise.all(settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.closed] : [])));
    }));
});

describe('reload', () => {
  it('applies new limits to connections already open', () =>
    withServer({}, async (s) => {
      const fresh = await rawTls(s.server.port, fx.admin);
      await sleep(400);
      expect(fresh.isOpen()).toBe(true);
      await s.server.reload(baseOptions(fx, { keystore: s.options.keystore, log: s.options.log, limits: { headerTimeoutMs: 200 } }));
      const ms = await fresh.closed;
      expect(ms).toBeLessThan(2500);
      const h2 = s.client(undefined, 'h2') as ReturnType<TestServer['client']> & { session: import('node:http2').ClientHttp2Session };
      expectJsonOk(await h2.request('/version'));
      await expect(s.server.reload(baseOptions(fx, { keystore: s.options.keystore, log: s.options.log, limits: { maxStreamsPerSession: 0 } }))).rejects.toThrow(
        "invalid limit 'maxStreamsPerSession': 0",
      );
      expectJsonOk(await h2.request('/version'));
    }));
});
