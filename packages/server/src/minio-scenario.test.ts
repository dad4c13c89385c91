/**
 * MinIO's call sequence against the server (spec minio-client.md §2.2), as the kms-go SDK sends it: HTTP/2, an
 * Ed25519 certificate derived from an API key, POST bodies without a length, a non-admin identity with the policy
 * MinIO deployments typically use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCert, type CertPair } from './testing/certs.js';
import type { TestClient } from './testing/client.js';
import { expectEmptyOk, expectJsonOk, expectKesError } from './testing/expect-error.js';
import { createFixtures, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';

const KEY = 'minio-default-key';
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

let fx: Fixtures;
let minio: CertPair;
let srv: TestServer;
let kms: TestClient;
beforeAll(async () => {
  fx = await createFixtures();
  minio = await apiKeyCert();
  srv = await startTestServer(fx, {
    policies: {
      minio: {
        allow: ['/v1/key/create/*', '/v1/key/generate/*', '/v1/key/decrypt/*', '/v1/key/bulk/decrypt', '/v1/key/list/*', '/v1/key/describe/*', '/v1/key/hmac/*', '/v1/status', '/v1/metrics', '/v1/log/audit', '/v1/log/error'],
        deny: [],
        identities: [minio.identity],
      },
    },
  });
  kms = srv.client(minio, 'h2');
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

const generate = (context: string) => kms.request(`/v1/key/generate/${KEY}`, { method: 'POST', body: JSON.stringify({ context: b64(context) }) });
const decrypt = (ciphertext: string, context: string) =>
  kms.request(`/v1/key/decrypt/${KEY}`, { method: 'POST', body: JSON.stringify({ ciphertext, context: b64(context) }) });

describe('MinIO against the server', () => {
  it('runs the whole MinIO sequence', async () => {
    // start-up: GenerateKey(default, "{}") → ErrKeyNotFound → CreateKey(default); a second node racing gets ErrKeyExists
    expectKesError(await generate('{}'), 404, 'key does not exist');
    expectEmptyOk(await kms.request(`/v1/key/create/${KEY}`, { method: 'POST' }));
    expectKesError(await srv.client(minio).request(`/v1/key/create/${KEY}`, { method: 'POST' }), 400, 'key does already exist');
    expectJsonOk(await generate('{}'));

    // keep-alive every 10 s: DescribeKey(default), result ignored
    expect(expectJsonOk(await kms.request(`/v1/key/describe/${KEY}`))).toMatchObject({ name: KEY, algorithm: 'AES256', created_by: minio.identity });

    // SSE-S3 PUT then GET: context {"<bucket>":"<bucket>/<object>"}
    const ctx = '{"photos":"photos/2024/cat.jpg"}';
    const dek = expectJsonOk(await generate(ctx));
    expect(Buffer.from(dek.plaintext, 'base64')).toHaveLength(32);
    expect(expectJsonOk(await decrypt(dek.ciphertext, ctx))).toEqual({ plaintext: dek.plaintext });
    expectKesError(await decrypt(dek.ciphertext, '{"photos":"photos/other.jpg"}'), 400, 'decryption failed: ciphertext is not authentic');

    // SSE-KMS with a user context, canonical sorted JSON, and `mc admin kms key status`
    for (const c of ['{"MinIO admin API":"KMSKeyStatusHandler"}', '{"a":"b","photos":"photos/x"}', '{"healthcheck":""}']) {
      const d = expectJsonOk(await generate(c));
      expect(expectJsonOk(await decrypt(d.ciphertext, c)).plaintext).toBe(d.plaintext);
    }

    // listing: DecryptETags decrypts in batches, concurrently on one HTTP/2 connection
    const batch = await Promise.all(Array.from({ length: 40 }, (_, i) => generate(`{"b":"b/o${i}"}`)));
    const plain = await Promise.all(batch.map((r, i) => decrypt(r.json().ciphertext, `{"b":"b/o${i}"}`)));
    plain.forEach((r, i) => expect(r.json().plaintext).toBe(batch[i]!.json().plaintext));

    // mc admin kms key list with "*": GET /v1/key/list without a slash
    expect(expectJsonOk(await kms.request('/v1/key/list')).names).toEqual([KEY]);
    expect(expectJsonOk(await kms.request('/v1/key/list/%2A')).names).toEqual([KEY]);

    // mc admin kms status: the Go SDK decodes these fields
    const status = expectJsonOk(await kms.request('/v1/status'));
    expect(status).toMatchObject({ keystore_latency: expect.any(Number), uptime: expect.any(Number) });
    expect(status).not.toHaveProperty('keystore_unreachable');

    // root credentials: HMAC via PUT without Content-Type
    const mac = (msg: string) => kms.request(`/v1/key/hmac/${KEY}`, { method: 'PUT', body: JSON.stringify({ message: b64(msg) }) });
    const access = expectJsonOk(await mac('root access key'));
    const secret = expectJsonOk(await mac('root secret key'));
    expect(Buffer.from(access.hmac, 'base64')).toHaveLength(32);
    expect(access.hmac).not.toBe(secret.hmac);
    expect(expectJsonOk(await mac('root access key'))).toEqual(access);

    // mc admin kms apis / version: the version needs no rights, /v1/api is denied by this policy (ErrPermission)
    expectJsonOk(await kms.request('/version'));
    expectKesError(await kms.request('/v1/api'), 403, 'prohibited by policy');

    // older MinIO: bulk decrypt is denied by the "/v1/key/bulk/decrypt" policy entry (no "*"), so it falls back
    expectKesError(await kms.request(`/v1/key/bulk/decrypt/${KEY}`, { method: 'POST', body: '[]' }), 403, 'prohibited by policy');
  });
});
