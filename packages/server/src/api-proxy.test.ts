import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCert, type CertPair } from './testing/certs.js';
import { expectJsonOk, expectKesError } from './testing/expect-error.js';
import { createFixtures, logsWritten, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';

const HEADER = 'X-Tls-Client-Cert';
const escape = (pem: string) => encodeURIComponent(pem);

let fx: Fixtures;
let proxy: CertPair;
let client: CertPair;
let srv: TestServer;
beforeAll(async () => {
  fx = await createFixtures();
  proxy = await apiKeyCert();
  client = await apiKeyCert();
  srv = await startTestServer(fx, {
    tls: { key: fx.server.keyPem, cert: fx.server.certPem, auth: 'off', proxy: { identities: [proxy.identity], certHeader: HEADER } },
    policies: { app: { allow: ['/v1/identity/self/describe', '/v1/status'], deny: [], identities: [client.identity] } },
  });
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

describe('TLS proxy (spec §3.5)', () => {
  it('identifies the forwarded client and logs the X-Forwarded-For address', async () => {
    const p = srv.client(proxy);
    const me = expectJsonOk(await p.request('/v1/identity/self/describe', { headers: { [HEADER]: escape(client.certPem), 'X-Forwarded-For': '203.0.113.7:5555, 10.0.0.1' } }));
    expect(me).toMatchObject({ identity: client.identity, policy: 'app' });
    expectJsonOk(await p.request('/v1/status', { headers: { [HEADER]: escape(client.certPem).replace(/%20/g, '+') } }));
    await logsWritten();
    const events = srv.stdout.lines.map((l) => JSON.parse(l));
    expect(events).toContainEqual(expect.objectContaining({ request: { method: 'GET', ip: '203.0.113.7', path: '/v1/identity/self/describe', identity: client.identity } }));
    // the proxy's own identity has no rights
    expectKesError(await p.request('/v1/key/list/', { headers: { [HEADER]: escape(client.certPem) } }), 403, 'prohibited by policy');
  });

  it('answers a missing, repeated or malformed forwarded certificate with 400', async () => {
    const p = srv.client(proxy);
    expectKesError(await p.request('/v1/status'), 400, 'no client certificate is present');
    expectKesError(await p.request('/v1/status', { headers: { [HEADER]: [escape(client.certPem), escape(client.certPem)] } }), 400, 'too many client certificates are present');
    expectKesError(await p.request('/v1/status', { headers: { [HEADER]: 'garbage' } }), 400, 'invalid client certificate');
    expectKesError(await p.request('/v1/status', { headers: { [HEADER]: escape(client.keyPem) } }), 400, 'invalid client certificate');
    expectKesError(await p.request('/v1/status', { headers: { [HEADER]: '%zz' } }), 400, 'invalid client certificate');
  });

  it('ignores the header from clients that are not proxies', async () => {
    const me = expectJsonOk(await srv.client(client).request('/v1/identity/self/describe', { headers: { [HEADER]: escape(proxy.certPem) } }));
    expect(me.identity).toBe(client.identity);
  });

  it('verifies forwarded certificates with tls.auth on (403 with an empty message)', async () => {
    const ca = fx.pki.issue({ ca: true, cn: 'proxy-ca' });
    const proxyCert = fx.pki.issue({ issuer: ca });
    const goodClient = fx.pki.issue({ issuer: ca, keyType: 'ed25519' });
    const s = await startTestServer(fx, {
      tls: { key: fx.server.keyPem, cert: fx.server.certPem, auth: 'on', ca: [ca.certPem], proxy: { identities: [proxyCert.identity], certHeader: HEADER } },
      policies: { app: { allow: ['/v1/identity/self/describe'], deny: [], identities: [goodClient.identity, client.identity] } },
    });
    try {
      const p = s.client(proxyCert);
      expect(expectJsonOk(await p.request('/v1/identity/self/describe', { headers: { [HEADER]: escape(goodClient.certPem) } })).identity).toBe(goodClient.identity);
      const res = await p.request('/v1/status', { headers: { [HEADER]: escape(client.certPem) } });
      expectKesError(res, 403, '');
    } finally {
      await s.close();
    }
  });
});
