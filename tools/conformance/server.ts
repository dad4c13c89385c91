/**
 * Conformance of the HTTP API of `@kes/server` against the upstream vectors (`kes-vectors.json` sections `routes`,
 * `wire_format_examples`, `sdk_errors`, `log_stream_examples`, `client_paths`, `import_key`, `key_algorithm_names`):
 * starts a real server (memory keystore, test certificates) and sends real requests over TLS.
 * Run by hand only (the project's own tests never read ../shared):
 *   npx tsx --conditions=@kes/source tools/conformance/server.ts [path/to/kes-vectors.json]
 * Deliberate differences (spec §12) are checked as such: `GET /v1/key/list` is served (200) instead of Go's 301, and
 * the server sends the legacy texts `key does already exist` / `prohibited by policy` that every SDK maps.
 */
import { get } from 'node:https';
import type { TestClient, TestResponse } from '../../packages/server/src/testing/client.js';
import { apiKeyCert } from '../../packages/server/src/testing/certs.js';
import { createFixtures, startTestServer } from '../../packages/server/src/testing/harness.js';
import { runIfMain } from './report.js';
import { expectSame, Tally, type CheckResult } from './tally.js';

const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');

/** Legacy texts this project sends instead of HEAD's (spec §12); every SDK generation maps them. */
const LEGACY: Record<string, string> = { ErrKeyExists: 'key does already exist', ErrNotAllowed: 'prohibited by policy' };

function firstLine(url: string, path: string, ca: string, cert: { certPem: string; keyPem: string }, trigger: () => Promise<unknown>): Promise<{ contentType: string; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const req = get(`${url}${path}`, { ca, cert: cert.certPem, key: cert.keyPem, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
        const lines = text.split('\n').filter((l) => l !== '');
        if (lines.length >= 2) {
          req.destroy();
          resolve({ contentType: String(res.headers['content-type']), lines });
        }
      });
      void trigger().catch(reject);
    });
    req.on('error', reject);
    setTimeout(() => reject(new Error('stream timed out')), 3000).unref();
  });
}

/** Runs every server-area vector against a fresh server; resolves with the tally, never rejects. */
export async function checkServer(vectors: any): Promise<CheckResult> {
  const result = new Tally();
  const fx = await createFixtures();
  const stranger = await apiKeyCert();
  const srv = await startTestServer(fx);
  try {
    const c: TestClient = srv.client(undefined, 'h2');
    const h1 = srv.client();
    const wire = (res: TestResponse) => ({ status: res.status, body: res.text });

    // routes
    const apis = (await c.request('/v1/api')).json<Array<Record<string, unknown>>>();
    for (const v of vectors.routes.vectors) {
      await result.checkAsync(`routes ${v.path}`, async () => {
        const entry = apis.find((a) => a.path === v.path);
        return expectSame('entry', entry, { method: v.method, path: v.path, max_body: v.max_body_bytes, timeout: v.timeout_seconds });
      });
    }

    // wire_format_examples
    const w = vectors.wire_format_examples;
    await result.checkAsync('wire error_response', async () => {
      const res = await h1.request('/v1/key/describe/does-not-exist');
      return expectSame('response', { ...wire(res), ct: res.headers['content-type'], cl: res.headers['content-length'] }, { status: w.error_response.status, body: w.error_response.body, ct: w.error_response.headers['Content-Type'], cl: w.error_response.headers['Content-Length'] });
    });
    await result.checkAsync('wire empty_success', async () => {
      const res = await h1.request('/v1/key/create/wire-empty', { method: 'POST' });
      return expectSame('response', { ...wire(res), cl: res.headers['content-length'] }, { status: 200, body: w.empty_success.body, cl: w.empty_success.headers['Content-Length'] });
    });
    await result.checkAsync('wire json_success_example', async () => {
      const res = await h1.request('/v1/key/encrypt/wire-empty', { method: 'POST', body: '{"plaintext":""}' });
      if (res.headers['content-type'] !== w.json_success_example.headers['Content-Type']) return `content-type ${res.headers['content-type']}`;
      return /^\{"ciphertext":"[A-Za-z0-9+/]+={0,2}"\}\n$/.test(res.text) ? undefined : `body ${JSON.stringify(res.text)}`;
    });
    await result.checkAsync('wire method_not_allowed', async () => {
      const [method, path] = w.method_not_allowed.request.split(' ');
      const res = await h1.request(path, { method });
      return expectSame('response', { ...wire(res), accept: res.headers.accept, ct: res.headers['content-type'] }, { status: 405, body: w.method_not_allowed.body, accept: 'PUT', ct: 'application/json' });
    });
    await result.checkAsync('wire unknown_path', async () => {
      const res = await h1.request(w.unknown_path.request.split(' ')[1]);
      return expectSame('response', { ...wire(res), ct: res.headers['content-type'] }, { status: 404, body: w.unknown_path.body, ct: w.unknown_path.headers['Content-Type'] });
    });
    await result.checkAsync('wire missing_trailing_slash (served directly, spec §12)', async () => {
      const res = await h1.request(w.missing_trailing_slash.request.split(' ')[1]);
      return res.status === 200 && Array.isArray(res.json().names) ? undefined : `status ${res.status}`;
    });
    await result.checkAsync('wire metrics_default_content_type', async () => expectSame('content-type', (await c.request('/v1/metrics')).headers['content-type'], w.metrics_default_content_type));

    // sdk_errors: every error the current server produces, by (status, message)
    await h1.request('/v1/key/create/sdk', { method: 'POST' });
    const produce: Record<string, () => Promise<TestResponse>> = {
      ErrKeyNotFound: () => h1.request('/v1/key/describe/sdk-missing'),
      ErrKeyExists: () => h1.request('/v1/key/create/sdk', { method: 'POST' }),
      ErrNotAllowed: () => srv.client(stranger).request('/v1/key/describe/sdk'),
      ErrPolicyNotFound: () => h1.request('/v1/policy/describe/nope'),
      ErrIdentityNotFound: () => h1.request(`/v1/identity/describe/${'0'.repeat(64)}`),
      ErrDecrypt: () => h1.request('/v1/key/decrypt/sdk', { method: 'POST', body: JSON.stringify({ ciphertext: b64(Buffer.alloc(64)) }) }),
    };
    for (const v of vectors.sdk_errors.vectors) {
      const make = produce[v.name];
      if (make === undefined) continue; // not produced by the current server
      await result.checkAsync(`sdk_errors ${v.name}`, async () => {
        const res = await make();
        return expectSame('error', { status: res.status, message: res.json().message }, { status: v.status, message: LEGACY[v.name] ?? v.message });
      });
    }
    for (const v of vectors.sdk_errors.legacy_aliases_accepted_by_client) {
      await result.checkAsync(`sdk_errors legacy alias ${v.maps_to}`, async () => expectSame('legacy text', LEGACY[v.maps_to], v.message));
    }

    // log_stream_examples: our lines have the examples' shape, with integer nanoseconds
    await result.checkAsync('log_stream_examples audit shape', async () => {
      const { contentType, lines } = await firstLine(srv.server.url, '/v1/log/audit', fx.server.certPem, fx.admin, () => h1.request('/v1/key/describe/sdk'));
      if (contentType !== w.stream_content_type) return `content-type ${contentType}`;
      const ours = JSON.parse(lines[1]!);
      const theirs = JSON.parse(vectors.log_stream_examples.audit_lines[0]);
      const shape = (e: any) => ({ top: Object.keys(e).sort(), req: ['identity', 'path'].map((k) => typeof e.request[k]), res: Object.keys(e.response).sort(), t: Number.isInteger(e.response.time) });
      return expectSame('shape', shape(ours), shape(theirs));
    });
    await result.checkAsync('log_stream_examples error shape', async () => {
      const { lines } = await firstLine(srv.server.url, '/v1/log/error', fx.server.certPem, fx.admin, async () => {
        await srv.keystore.create('broken', Buffer.from('junk'));
        await h1.request('/v1/key/describe/broken');
        await h1.request('/v1/key/describe/broken');
      });
      const keys = (l: string) => Object.keys(JSON.parse(l));
      return expectSame('keys', keys(lines[0]!), keys(vectors.log_stream_examples.error_lines[0]));
    });

    // client_paths: the exact paths the Go SDK sends
    await h1.request('/v1/key/create/k', { method: 'POST' });
    const ct = (await h1.request('/v1/key/encrypt/k', { method: 'POST', body: '{"plaintext":"YQ=="}' })).json().ciphertext;
    const bodies: Record<string, string> = { 'HMAC("k", msg)': '{"message":"YQ=="}', 'Decrypt("k", ...)': JSON.stringify({ ciphertext: ct }) };
    for (const v of vectors.client_paths.vectors) {
      await result.checkAsync(`client_paths ${v.call}`, async () => {
        const res = await c.request(v.path, { method: v.method, body: bodies[v.call] });
        return res.status === 200 ? undefined : `status ${res.status}: ${res.text}`;
      });
    }

    // import_key
    let n = 0;
    for (const v of vectors.import_key.vectors) {
      await result.checkAsync(`import_key ${v.cipher}/${v.key_len}`, async () => {
        const res = await c.request(`/v1/key/import/imp-${n++}`, { method: 'POST', body: JSON.stringify({ key: b64(Buffer.alloc(v.key_len)), cipher: v.cipher }) });
        return expectSame('answer', { status: res.status, message: res.status === 200 ? undefined : res.json().message }, { status: v.expect_status, message: v.expect_message });
      });
    }

    // key_algorithm_names (as the import `cipher`)
    for (const v of vectors.key_algorithm_names.vectors) {
      await result.checkAsync(`key_algorithm_names ${JSON.stringify(v.text)}`, async () => {
        const name = `alg-${n++}`;
        const res = await c.request(`/v1/key/import/${name}`, { method: 'POST', body: JSON.stringify({ key: b64(Buffer.alloc(32)), cipher: v.text }) });
        if (v.should_fail) return expectSame('answer', { status: res.status, message: res.json().message }, { status: 406, message: `algorithm '${v.text}' is not supported` });
        if (res.status !== 200) return `status ${res.status}`;
        return expectSame('algorithm', (await c.request(`/v1/key/describe/${name}`)).json().algorithm, v.result);
      });
    }
  } finally {
    await srv.close();
    fx.pki.dispose();
  }
  return result;
}

await runIfMain(import.meta.url, 'server', checkServer);
