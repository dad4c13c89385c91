import { X509Certificate } from 'node:crypto';
import { get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h1Client } from './testing/client.js';
import { expectJsonOk } from './testing/expect-error.js';
import { baseOptions, createFixtures, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';
import { rawTcp } from './testing/raw-socket.js';

let fx: Fixtures;
beforeAll(async () => {
  fx = await createFixtures();
});
afterAll(() => fx?.pki.dispose());

async function scrape(s: TestServer): Promise<string> {
  const res = await s.client().request('/v1/metrics');
  expect(res.status).toBe(200);
  return res.text;
}

/** The value of one sample (`name{labels}`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const expiryOf = (pem: string) => Math.floor(Date.parse(new X509Certificate(pem).validTo) / 1000);

describe('operations metrics', () => {
  it('counts and times keystore calls by operation and result, and reports the key cache', async () => {
    const s = await startTestServer(fx);
    try {
      const c = s.client();
      await c.request('/v1/key/create/k', { method: 'POST' });
      expectJsonOk(await c.request('/v1/key/describe/k')); // miss → keystore get
      expectJsonOk(await c.request('/v1/key/describe/k')); // hit
      expectJsonOk(await c.request('/v1/key/generate/k', { method: 'POST', body: '{}' })); // hit
      await c.request('/v1/key/describe/missing'); // miss → not found
      const text = await scrape(s);
      expect(sample(text, 'kes_keystore_calls{operation="create",result="ok"}')).toBe(1);
      expect(sample(text, 'kes_keystore_calls{operation="get",result="ok"}')).toBe(1);
      expect(sample(text, 'kes_keystore_calls{operation="get",result="not_found"}')).toBe(1);
      expect(sample(text, 'kes_keystore_call_time_count{operation="get"}')).toBe(2);
      expect(sample(text, 'kes_keystore_call_time_bucket{le="10",operation="get"}')).toBe(2);
      expect(sample(text, 'kes_cache_hits')).toBe(2);
      expect(sample(text, 'kes_cache_misses')).toBe(2);
      expect(sample(text, 'kes_cache_loads')).toBe(2);
      expect(sample(text, 'kes_cache_size')).toBe(1);

      // a reload with new cache settings replaces the cache: the counters go on, the size starts over
      await s.server.reload(baseOptions(fx, { keystore: s.options.keystore, log: s.options.log, cache: { anyMs: 60_000 } }));
      expectJsonOk(await c.request('/v1/key/describe/k'));
      const after = await scrape(s);
      expect(sample(after, 'kes_cache_hits')).toBe(2);
      expect(sample(after, 'kes_cache_misses')).toBe(3);
      expect(sample(after, 'kes_cache_size')).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('reports the certificate expiry, open connections, handshake failures and dropped connections', async () => {
    const s = await startTestServer(fx, { limits: { handshakeTimeoutMs: 200 } });
    try {
      const text = await scrape(s);
      expect(sample(text, 'kes_tls_certificate_expiry')).toBe(expiryOf(fx.server.certPem));
      expect(sample(text, 'kes_http_connections')).toBeGreaterThanOrEqual(1);

      const stuck = await rawTcp(s.server.port);
      await stuck.closed;
      await expect(
        new Promise((resolve, reject) => get(`${s.server.url}/version`, { ca: fx.admin.certPem, agent: false }, resolve).on('error', reject)),
      ).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 50));
      const later = await scrape(s);
      expect(sample(later, 'kes_tls_handshake_failures{reason="timeout"}')).toBe(1);
      expect(sample(later, 'kes_tls_handshake_failures{reason="error"}')).toBe(1);
      expect(sample(later, 'kes_http_connections_dropped{reason="handshake-timeout"}')).toBe(1);

      const renewed = fx.pki.issue({ san: 'DNS:localhost,IP:127.0.0.1', days: 90 });
      await s.server.reload(baseOptions(fx, { keystore: s.options.keystore, log: s.options.log, tls: { key: renewed.keyPem, cert: renewed.certPem, auth: 'off' } }));
      const trusting = h1Client(s.server.url, renewed.certPem, fx.admin);
      try {
        expect(sample((await trusting.request('/v1/metrics')).text, 'kes_tls_certificate_expiry')).toBe(expiryOf(renewed.certPem));
      } finally {
        trusting.close();
      }
    } finally {
      await s.close();
    }
  });

  it('is valid Prometheus text: every family once with HELP and TYPE, only kes_* names, no process collectors', async () => {
    const s = await startTestServer(fx);
    try {
      await s.client().request('/v1/key/create/k', { method: 'POST' });
      await s.client().request('/v1/key/describe/k');
      const text = await scrape(s);
      const families = [...text.matchAll(/^# TYPE (\S+) (counter|gauge|histogram)$/gm)].map((m) => m[1]!);
      expect(new Set(families).size).toBe(families.length);
      for (const name of families) expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
      for (const line of text.split('\n')) {
        if (line === '' || line.startsWith('#')) continue;
        expect(line).toMatch(/^kes_[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+]+$/);
      }
      for (const name of ['kes_http_request_success', 'kes_http_request_active', 'kes_http_response_time', 'kes_system_up_time', 'kes_keystore_calls', 'kes_cache_hits', 'kes_tls_certificate_expiry']) {
        expect(families).toContain(name);
      }
    } finally {
      await s.close();
    }
  });
});
