import { Agent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './server.js';
import { NO_SAN_MESSAGE } from './auth/tls.js';
import { apiKeyCert, type CertPair } from './testing/certs.js';
import { h1Client } from './testing/client.js';
import { expectJsonOk, expectKesError } from './testing/expect-error.js';
import { baseOptions, createFixtures, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';

let fx: Fixtures;
let app: CertPair;
let stranger: CertPair;
let srv: TestServer;
beforeAll(async () => {
  fx = await createFixtures();
  app = await apiKeyCert();
  stranger = await apiKeyCert();
  srv = await startTestServer(fx, {
    policies: {
      'my-app': {
        allow: ['/v1/key/create/app-*', '/v1/key/generate/app-*', '/v1/key/decrypt/app-*', '/v1/identity/self/describe'],
        deny: ['/v1/key/generate/app-internal*', '/v1/key/decrypt/app-internal*'],
        identities: [app.identity],
      },
    },
  });
  const admin = srv.client();
  for (const k of ['app-1', 'app-internal', 'other']) await admin.request(`/v1/key/create/${k}`, { method: 'POST' });
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

describe('client certificates (tls.auth off)', () => {
  it.each(['h1', 'h2'] as const)('refuses requests without a certificate with 400 over %s; /version needs none', async (p) => {
    const c = srv.client(null, p);
    expectKesError(await c.request('/v1/status'), 400, 'tls: client certificate is required');
    expectKesError(await c.request('/v1/identity/self/describe'), 400, 'tls: client certificate is required');
    expect(expectJsonOk(await c.request('/version'))).toEqual({ version: '2025-01-01T00-00-00Z', commit: 'abc123' });
  });

  it('refuses a CA-flagged client certificate (400) and two non-CA certificates (400)', async () => {
    const caFlagged = fx.pki.issue({ ca: true });
    expectKesError(await srv.client(caFlagged).request('/v1/status'), 400, 'tls: client certificate is required');
    const middle = fx.pki.issue({ bare: true, cn: 'middle' });
    const leaf = fx.pki.issue({ issuer: middle });
    const chain = { certPem: leaf.certPem + middle.certPem, keyPem: leaf.keyPem };
    expectKesError(await srv.client(chain).request('/v1/status'), 400, 'tls: received more than one client certificate');
    // a leaf sent with the CA that issued it identifies as the leaf
    const ca = fx.pki.issue({ ca: true, cn: 'ca' });
    const signed = fx.pki.issue({ issuer: ca });
    expectKesError(await srv.client({ certPem: signed.certPem + ca.certPem, keyPem: signed.keyPem }).request('/v1/status'), 403, 'prohibited by policy');
  });

  it('accepts self-signed Ed25519, ECDSA and RSA certificates and identifies them by SPKI hash', async () => {
    for (const keyType of ['ed25519', 'ec', 'rsa'] as const) {
      const cert = fx.pki.issue({ keyType });
      const s = await startTestServer(fx, { policies: { p: { allow: ['/v1/identity/self/describe'], deny: [], identities: [cert.identity] } } });
      try {
        const me = expectJsonOk(await s.client(cert).request('/v1/identity/self/describe'));
        expect(me).toMatchObject({ identity: cert.identity, policy: 'p', admin: false });
        expectKesError(await s.client(cert).request('/v1/status'), 403, 'prohibited by policy');
      } finally {
        await s.close();
      }
    }
  });

  it('forbids unknown identities and applies policies deny-first', async () => {
    expectKesError(await srv.client(stranger).request('/v1/key/describe/app-1'), 403, 'prohibited by policy');
    const c = srv.client(app, 'h2');
    const g = expectJsonOk(await c.request('/v1/key/generate/app-1', { method: 'POST', body: '{}' }));
    expectJsonOk(await c.request('/v1/key/decrypt/app-1', { method: 'POST', body: JSON.stringify({ ciphertext: g.ciphertext }) }));
    expectKesError(await c.request('/v1/key/generate/app-internal', { method: 'POST', body: '{}' }), 403, 'prohibited by policy');
    expectKesError(await c.request('/v1/key/decrypt/app-internal', { method: 'POST', body: '{}' }), 403, 'prohibited by policy');
    expectKesError(await c.request('/v1/key/generate/other', { method: 'POST', body: '{}' }), 403, 'prohibited by policy');
    expectKesError(await c.request('/v1/key/describe/app-1'), 403, 'prohibited by policy');
    expectKesError(await c.request('/v1/key/create/app-1', { method: 'POST' }), 400, 'key does already exist');
    expect(srv.stderr.lines.some((l) => l.includes('level=DEBUG'))).toBe(false); // denials are DEBUG only
  });

  it('identifies clients on resumed TLS sessions (TLS 1.2 and 1.3)', async () => {
    for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
      const agent = new Agent({ keepAlive: false, ca: fx.server.certPem, cert: app.certPem, key: app.keyPem, maxVersion });
      const sessions: boolean[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const req = httpsRequest({ host: '127.0.0.1', port: srv.server.port, path: '/v1/identity/self/describe', agent }, (r) => {
              sessions.push((r.socket as TLSSocket).isSessionReused());
              let body = '';
              r.on('data', (c: Buffer) => (body += c.toString()));
              r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
            });
            req.on('error', reject);
            req.end();
          });
          expect(res.status).toBe(200);
          expect(JSON.parse(res.body).identity).toBe(app.identity);
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        agent.destroy();
      }
      expect(sessions.slice(1)).toContain(true);
    }
  });

  it('disables admin access for a non-hex admin identity', async () => {
    const s = await startTestServer(fx, { adminIdentity: 'disabled' });
    try {
      expectKesError(await s.client().request('/v1/status'), 403, 'prohibited by policy');
      expectKesError(await s.client().request('/v1/identity/describe/disabled'), 403, 'prohibited by policy');
    } finally {
      await s.close();
    }
  });
});

describe('skip_auth', () => {
  it('makes certificates optional and skips policy checks on that route only', async () => {
    const s = await startTestServer(fx, { api: { '/v1/status': { skipAuth: true }, '/v1/key/describe': { skipAuth: true } } });
    try {
      expectJsonOk(await s.client(null).request('/v1/status'));
      expectJsonOk(await s.client(stranger).request('/v1/status'));
      expectKesError(await s.client(null).request('/v1/metrics'), 400, 'tls: client certificate is required');
      expectKesError(await s.client(stranger).request('/v1/metrics'), 403, 'prohibited by policy');
      expectKesError(await s.client(null).request('/v1/identity/self/describe'), 404, 'identity does not exist');
      expect(expectJsonOk(await s.client().request('/v1/identity/self/describe'))).toMatchObject({ admin: true });
    } finally {
      await s.close();
    }
  });
});

describe('tls.auth on', () => {
  it('verifies client certificates against tls.ca and closes connections with unverified ones', async () => {
    const ca = fx.pki.issue({ ca: true, cn: 'client-ca' });
    const good = fx.pki.issue({ issuer: ca, keyType: 'rsa' });
    const s = await startTestServer(fx, {
      adminIdentity: good.identity,
      tls: { key: fx.server.keyPem, cert: fx.server.certPem, auth: 'on', ca: [ca.certPem] },
    });
    try {
      expectJsonOk(await s.client(good).request('/v1/status'));
      expectJsonOk(await s.client(good, 'h2').request('/v1/status'));
      await expect(s.client(fx.admin).request('/v1/status')).rejects.toThrow();
      await expect(s.client(fx.admin, 'h2').request('/v1/status')).rejects.toThrow();
      expectKesError(await s.client(null).request('/v1/status'), 400, 'tls: client certificate is required');
      expect(s.stderr.lines.some((l) => l.includes('client certificate not verified'))).toBe(true);
    } finally {
      await s.close();
    }
  });
});

describe('server TLS material', () => {
  it('speaks TLS 1.2+ only and offers h2 and http/1.1 by ALPN', async () => {
    const probe = (opts: object) =>
      new Promise<string | false | null>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: srv.server.port, ca: fx.server.certPem, servername: 'localhost', cert: fx.admin.certPem, key: fx.admin.keyPem, ...opts }, () => {
          resolve(socket.alpnProtocol);
          socket.destroy();
        });
        socket.on('error', reject);
      });
    expect(await probe({ ALPNProtocols: ['h2', 'http/1.1'] })).toBe('h2');
    expect(await probe({ ALPNProtocols: ['http/1.1'] })).toBe('http/1.1');
    expect(await probe({ ALPNProtocols: ['h2'], maxVersion: 'TLSv1.2' })).toBe('h2');
    await expect(probe({ maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })).rejects.toThrow();
  });

  it('decrypts legacy and PKCS#8 encrypted keys with tls.password and refuses a wrong one', async () => {
    for (const format of ['legacy', 'pkcs8'] as const) {
      const key = fx.pki.encryptKey(fx.server, 's3cret', format);
      expect(key).toMatch(format === 'legacy' ? /Proc-Type: 4,ENCRYPTED/ : /BEGIN ENCRYPTED PRIVATE KEY/);
      const server = await startServer(baseOptions(fx, { tls: { key, cert: fx.server.certPem, password: 's3cret', auth: 'off' } }));
      const c = h1Client(server.url, fx.server.certPem, fx.admin);
      try {
        expectJsonOk(await c.request('/v1/status'));
      } finally {
        c.close();
        await server.close();
      }
      await expect(startServer(baseOptions(fx, { tls: { key, cert: fx.server.certPem, password: 'wrong', auth: 'off' } }))).rejects.toThrow(/^invalid TLS config: cannot decrypt private key/);
      await expect(startServer(baseOptions(fx, { tls: { key, cert: fx.server.certPem, auth: 'off' } }))).rejects.toThrow(/^invalid TLS config/);
    }
  });

  it('says the key cannot be decrypted also when the decrypted bytes do not even parse (not only on "bad decrypt")', async () => {
    const pem = fx.pki.encryptKey(fx.server, 's3cret', 'pkcs8');
    const body = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    const at = body.length - 40; // inside the ciphertext, the padding block intact: decrypts to garbage
    body[at] = body[at]! ^ 0xff;
    const key = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
    await expect(startServer(baseOptions(fx, { tls: { key, cert: fx.server.certPem, password: 's3cret', auth: 'off' } }))).rejects.toThrow(/^invalid TLS config: cannot decrypt private key/);
  });

  it('refuses a server certificate without DNS or IP SAN with the upstream message', async () => {
    const noSan = fx.pki.issue({ cn: 'localhost' });
    await expect(startServer(baseOptions(fx, { tls: { key: noSan.keyPem, cert: noSan.certPem, auth: 'off' } }))).rejects.toThrow(NO_SAN_MESSAGE);
    expect(NO_SAN_MESSAGE).toBe('invalid TLS certificate: certificate does not contain any DNS or IP address as SAN');
  });
});
