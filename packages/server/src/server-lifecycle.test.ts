import { createHash } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import { MemoryKeystore } from '@kes/keystore-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogLevel } from './log/levels.js';
import { apiKeyCert, type CertPair } from './testing/certs.js';
import { expectJsonOk, expectKesError } from './testing/expect-error.js';
import { FlakyKeystore } from './testing/flaky-keystore.js';
import { baseOptions, createFixtures, logsWritten, startTestServer, type Fixtures } from './testing/harness.js';

let fx: Fixtures;
let app: CertPair;
beforeAll(async () => {
  fx = await createFixtures();
  app = await apiKeyCert();
});
afterAll(() => fx?.pki.dispose());

function servedCertificate(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, cert: fx.admin.certPem, key: fx.admin.keyPem }, () => {
      resolve(createHash('sha256').update(s.getPeerCertificate().raw).digest('hex'));
      s.destroy();
    });
    s.on('error', reject);
  });
}

describe('reload', () => {
  it('swaps policies, log levels and TLS material without dropping connections', async () => {
    const s = await startTestServer(fx);
    try {
      const h2 = s.client(app, 'h2');
      expectKesError(await h2.request('/v1/status'), 403, 'prohibited by policy');
      const before = await servedCertificate(s.server.port);
      const other = fx.pki.issue({ san: 'DNS:localhost,IP:127.0.0.1' });
      await s.server.reload(
        baseOptions(fx, {
          keystore: s.options.keystore,
          policies: { app: { allow: ['/v1/status'], deny: [], identities: [app.identity] } },
          tls: { key: other.keyPem, cert: other.certPem, auth: 'off' },
          log: { ...s.options.log, auditLevel: LogLevel.OFF },
        }),
      );
      await logsWritten();
      const lines = s.stdout.lines.length;
      expectJsonOk(await h2.request('/v1/status')); // same HTTP/2 session, new policy
      await logsWritten();
      expect(s.stdout.lines.length).toBe(lines); // audit to stdout switched off
      const after = await servedCertificate(s.server.port);
      expect(after).not.toBe(before);
      expect(after).toBe(createHash('sha256').update(new (await import('node:crypto')).X509Certificate(other.certPem).raw).digest('hex'));
    } finally {
      await s.close();
    }
  });

  it('keeps the keystore for new cache settings and switches to a new keystore, closing the old one', async () => {
    const s = await startTestServer(fx);
    try {
      const c = s.client();
      await c.request('/v1/key/create/k1', { method: 'POST' });
      await s.server.reload(baseOptions(fx, { keystore: s.options.keystore, cache: { anyMs: 1000, unusedMs: 500 }, log: s.options.log }));
      expectJsonOk(await c.request('/v1/key/describe/k1'));
      const next = new MemoryKeystore();
      await s.server.reload(baseOptions(fx, { keystore: next, keys: ['k2'], log: s.options.log }));
      expectKesError(await c.request('/v1/key/describe/k1'), 404, 'key does not exist');
      expectJsonOk(await c.request('/v1/key/describe/k2'));
      await expect(s.keystore.list('', 0)).rejects.toThrow(/closed/);
    } finally {
      await s.close();
    }
  });

  it('rejects a reload whose keys: cannot be created and keeps serving the old state', async () => {
    const s = await startTestServer(fx);
    try {
      const broken = new FlakyKeystore();
      broken.mode = 'broken';
      await expect(s.server.reload(baseOptions(fx, { keystore: broken, keys: ['x'], log: s.options.log }))).rejects.toThrow("failed to create key 'x'");
      await expect(s.server.reload(baseOptions(fx, { keystore: s.options.keystore, tls: { key: 'nope', cert: fx.server.certPem, auth: 'off' } }))).rejects.toThrow(/invalid TLS config/);
      expectJsonOk(await s.client().request('/v1/status'));
    } finally {
      await s.close();
    }
  });
});

describe('close', () => {
  it('lets in-flight requests finish, ends log streams, closes the keystore, and is idempotent', async () => {
    const keystore = new FlakyKeystore();
    const s = await startTestServer(fx, { keystore });
    const c = s.client();
    await c.request('/v1/key/create/slow', { method: 'POST' });
    const stream = s.client(undefined, 'h2').request('/v1/log/audit'); // resolves when the stream ends
    await new Promise((r) => setTimeout(r, 50));
    keystore.mode = 'slow';
    keystore.delayMs = 300;
    const inflight = s.client(undefined, 'h2').request('/v1/key/describe/slow');
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    const closing = s.server.close();
    expect(s.server.close()).toBe(closing);
    expectJsonOk(await inflight);
    expect((await stream).status).toBe(200);
    await closing;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(keystore.closed).toBe(true);
    await expect(c.request('/v1/status')).rejects.toThrow();
    await s.close();
  });

  it('closes promptly with idle keep-alive connections', async () => {
    const s = await startTestServer(fx);
    await s.client().request('/v1/status');
    await s.client(undefined, 'h2').request('/v1/status');
    const t0 = performance.now();
    await s.server.close();
    expect(performance.now() - t0).toBeLessThan(500);
    await expect(s.server.reload(s.options)).rejects.toThrow('server is closed');
    await s.close();
  });
});
