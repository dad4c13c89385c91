/**
 * Retry and failover rules of the Go SDK (`minio-client.md` §2.4), proven against local HTTPS stubs.
 */
import { createServer, type Server } from 'node:net';
import { ApiKey } from '@kes/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isFailoverStatus } from './balancer.js';
import { KesClient } from './client.js';
import { isKesClientError, type KesClientError } from './errors.js';
import { FAST_RETRY, makePki, refusedPort, sendError, sendJson, startStub, type Pki, type Stub, type StubHandler } from './fixtures.spec.js';

let pki: Pki;
const apiKey = ApiKey.generate().toString();
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => {
  pki = makePki();
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});
afterAll(() => pki.cleanup());

async function stub(handler: StubHandler): Promise<Stub> {
  const s = await startStub(pki, handler);
  cleanups.push(() => s.close());
  return s;
}

const ok: StubHandler = (_req, res) => sendJson(res, 200, { version: 'ok', commit: 'c' });
const status = (code: number, message = 'failed'): StubHandler => (_req, res) => sendError(res, code, message);

async function client(endpoints: string[], random = () => 0): Promise<KesClient> {
  const c = await KesClient.create({ endpoints, apiKey, caFile: pki.caFile, retry: { ...FAST_RETRY, random } });
  cleanups.push(() => c.close());
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

/** A TCP server that accepts and immediately resets every connection, counting them. */
async function resettingServer(): Promise<{ url: string; connections: () => number }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `https://127.0.0.1:${(server.address() as { port: number }).port}`, connections: () => count };
}

describe('failover status rule', () => {
  it('fails over on every 5xx except 501', () => {
    expect([500, 502, 503, 504, 599].every(isFailoverStatus)).toBe(true);
    expect([200, 400, 403, 404, 409, 499, 501].some(isFailoverStatus)).toBe(false);
  });
});

describe('single endpoint', () => {
  it('retries 503 twice (three attempts), then succeeds', async () => {
    let n = 0;
    const s = await stub((req, res, body) => (++n <= 2 ? status(503, 'busy')(req, res, body) : ok(req, res, body)));
    expect(await (await client([s.url])).version()).toEqual({ version: 'ok', commit: 'c' });
    expect(s.requests).toHaveLength(3);
  });

  it('gives up after three 503 attempts with the server error', async () => {
    const s = await stub(status(503, 'busy'));
    const e = await rejection((await client([s.url])).version());
    expect([e.code, e.status, e.message]).toEqual(['HTTP', 503, 'busy']);
    expect(s.requests).toHaveLength(3);
  });

  it('retries network errors twice, then reports the endpoint as unreachable', async () => {
    const r = await resettingServer();
    const e = await rejection((await client([r.url])).version());
    expect(e.code).toBe('UNREACHABLE');
    expect(e.message).toContain(r.url);
    expect(r.connections()).toBe(3);
  });

  it('does not retry other 5xx answers', async () => {
    const s = await stub(status(502, 'key store is unavailable'));
    expect((await rejection((await client([s.url])).ready())).status).toBe(502);
    expect(s.requests).toHaveLength(1);
  });
});

describe('several endpoints', () => {
  it('fails over from an endpoint refusing connections to the next one', async () => {
    const good = await stub(ok);
    const refused = `https://127.0.0.1:${await refusedPort()}`;
    const c = await client([refused, good.url]);
    expect(c.endpoints).toEqual([refused, good.url]);
    expect((await c.version()).version).toBe('ok');
    expect(good.requests).toHaveLength(1);
  });

  it('fails over on 502 without retrying it', async () => {
    const bad = await stub(status(502, 'failed to read key'));
    const good = await stub(ok);
    const c = await client([bad.url, good.url]);
    expect((await c.version()).version).toBe('ok');
    expect([bad.requests.length, good.requests.length]).toEqual([1, 1]);
  });

  it('does not fail over on 501', async () => {
    const notImpl = await stub(status(501, 'key does not support HMAC'));
    const good = await stub(ok);
    const e = await rejection((await client([notImpl.url, good.url])).hmac('k', new Uint8Array(1)));
    expect([e.code, e.status]).toEqual(['HMAC_NOT_SUPPORTED', 501]);
    expect(good.requests).toHaveLength(0);
  });

  it('does not fail over on 4xx', async () => {
    const notFound = await stub(status(404, 'key does not exist'));
    const good = await stub(ok);
    expect((await rejection((await client([notFound.url, good.url])).describeKey('k'))).code).toBe('KEY_NOT_FOUND');
    expect(good.requests).toHaveLength(0);
  });

  it('retries 503 on an endpoint before failing over', async () => {
    const busy = await stub(status(503, 'busy'));
    const good = await stub(ok);
    expect((await (await client([busy.url, good.url])).version()).version).toBe('ok');
    expect([busy.requests.length, good.requests.length]).toEqual([3, 1]);
  });

  it('skips a failed endpoint for the penalty period', async () => {
    const r = await resettingServer();
    const good = await stub(ok);
    const c = await client([r.url, good.url]);
    await c.version();
    const afterFirst = r.connections();
    expect(afterFirst).toBe(3);
    await c.version();
    await c.version();
    expect(r.connections()).toBe(afterFirst);
    expect(good.requests).toHaveLength(3);
  });

  it('probes a failed endpoint again after the penalty, and uses it once it recovers', async () => {
    let healthy = false;
    const flaky = await stub((req, res, body) => (healthy ? ok(req, res, body) : status(502)(req, res, body)));
    const good = await stub(ok);
    const c = await KesClient.create({
      endpoints: [flaky.url, good.url],
      apiKey,
      caFile: pki.caFile,
      retry: { ...FAST_RETRY, penaltyMs: 100, random: () => 0 },
    });
    cleanups.push(() => c.close());
    await c.version();
    expect([flaky.requests.length, good.requests.length]).toEqual([1, 1]);
    await c.version();
    expect(flaky.requests.length).toBe(1);
    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 120));
    await c.version();
    expect(flaky.requests.length).toBe(2);
    expect(good.requests.length).toBe(2);
  });

  it('reports the last failure when every endpoint fails, and tries all of them again next time', async () => {
    const a = await stub(status(502, 'a failed'));
    const b = await stub(status(500, 'b failed'));
    const c = await client([a.url, b.url]);
    const e = await rejection(c.version());
    expect(e.status).toBeGreaterThanOrEqual(500);
    expect([a.requests.length, b.requests.length]).toEqual([1, 1]);
    await rejection(c.version());
    expect([a.requests.length, b.requests.length]).toEqual([2, 2]);
  });

  it('stops at once when the caller aborts', async () => {
    const r = await resettingServer();
    const good = await stub(ok);
    const c = await KesClient.create({
      endpoints: [r.url, good.url],
      apiKey,
      caFile: pki.caFile,
      retry: { minDelayMs: 200, maxDelayMs: 201 },
    });
    cleanups.push(() => c.close());
    const e = await rejection(c.version({ signal: AbortSignal.timeout(50) }));
    expect(e.code).toBe('ABORTED');
    expect(good.requests).toHaveLength(0);
  });
});
