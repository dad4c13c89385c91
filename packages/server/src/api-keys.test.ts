import { randomBytes } from 'node:crypto';
import { decryptWithKey, encryptWithKey, newStoredKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from './testing/client.js';
import { expectEmptyOk, expectJsonOk, expectKesError } from './testing/expect-error.js';
import { FlakyKeystore } from './testing/flaky-keystore.js';
import { createFixtures, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';

const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const post = (body?: unknown) => ({ method: 'POST', body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });

let fx: Fixtures;
let srv: TestServer;
beforeAll(async () => {
  fx = await createFixtures();
  srv = await startTestServer(fx);
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

describe.each(['h1', 'h2'] as const)('key API over %s', (protocol) => {
  let c: TestClient;
  const k = (name: string) => `${protocol}-${name}`;
  beforeAll(() => {
    c = srv.client(undefined, protocol);
  });

  it('creates a key (POST and PUT) and refuses to create it twice', async () => {
    expectEmptyOk(await c.request(`/v1/key/create/${k('a')}`, { method: 'POST' }));
    expectEmptyOk(await c.request(`/v1/key/create/${k('b')}`, { method: 'PUT' }));
    expectKesError(await c.request(`/v1/key/create/${k('a')}`, { method: 'POST' }), 400, 'key does already exist');
  });

  it('describes a key with algorithm, nanosecond RFC 3339 creation time and creator', async () => {
    await c.request(`/v1/key/create/${k('d')}`, { method: 'POST' });
    const d = expectJsonOk(await c.request(`/v1/key/describe/${k('d')}`));
    expect(d).toEqual({ name: k('d'), algorithm: 'AES256', created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/), created_by: fx.admin.identity });
    expectKesError(await c.request(`/v1/key/describe/${k('missing')}`), 404, 'key does not exist');
    expectKesError(await c.request('/v1/key/describe/-bad'), 400, "key name '-bad' is empty, too long or contains invalid characters");
  });

  it('generates data keys with and without a context and decrypts them', async () => {
    await c.request(`/v1/key/create/${k('g')}`, { method: 'POST' });
    const ctx = b64('{"bucket":"bucket/object"}');
    const g = expectJsonOk(await c.request(`/v1/key/generate/${k('g')}`, post({ context: ctx })));
    expect(Buffer.from(g.plaintext, 'base64')).toHaveLength(32);
    expect(g.ciphertext).toHaveLength(104);
    const d = expectJsonOk(await c.request(`/v1/key/decrypt/${k('g')}`, post({ ciphertext: g.ciphertext, context: ctx })));
    expect(d).toEqual({ plaintext: g.plaintext });
    expectKesError(await c.request(`/v1/key/decrypt/${k('g')}`, post({ ciphertext: g.ciphertext })), 400, 'decryption failed: ciphertext is not authentic');
    // no body at all, an empty JSON object, and a chunked body all work
    const none = expectJsonOk(await c.request(`/v1/key/generate/${k('g')}`, { method: 'POST' }));
    expect(expectJsonOk(await c.request(`/v1/key/decrypt/${k('g')}`, post({ ciphertext: none.ciphertext }))).plaintext).toBe(none.plaintext);
    expectJsonOk(await c.request(`/v1/key/generate/${k('g')}`, post('{}')));
    expectJsonOk(await c.request(`/v1/key/generate/${k('g')}`, { method: 'POST', body: JSON.stringify({ context: ctx }), chunked: true }));
    expectKesError(await c.request(`/v1/key/generate/${k('g')}`, post('{"context":"not base64"}')), 400, 'invalid request body');
    expectKesError(await c.request(`/v1/key/generate/${k('missing')}`, post('{}')), 404, 'key does not exist');
  });

  it('encrypts and decrypts, matching JSON keys case-insensitively and ignoring trailing bytes', async () => {
    await c.request(`/v1/key/create/${k('e')}`, { method: 'POST' });
    const e = expectJsonOk(await c.request(`/v1/key/encrypt/${k('e')}`, post(`{"Plaintext":"${b64('hello')}","CONTEXT":"${b64('ctx')}"} trailing`)));
    const d = expectJsonOk(await c.request(`/v1/key/decrypt/${k('e')}`, post({ ciphertext: e.ciphertext, context: b64('ctx'), version: 'v1' })));
    expect(Buffer.from(d.plaintext, 'base64').toString()).toBe('hello');
    const empty = expectJsonOk(await c.request(`/v1/key/encrypt/${k('e')}`, post({})));
    expect(expectJsonOk(await c.request(`/v1/key/decrypt/${k('e')}`, post({ ciphertext: empty.ciphertext })))).toEqual({ plaintext: '' });
  });

  it('answers malformed bodies with 400 invalid request body', async () => {
    await c.request(`/v1/key/create/${k('m')}`, { method: 'POST' });
    for (const body of ['', '{', '{"plaintext":"aGVsbG8"}', '{"plaintext":"aGVs-G8="}', '{"plaintext":5}', '[]']) {
      expectKesError(await c.request(`/v1/key/encrypt/${k('m')}`, post(body)), 400, 'invalid request body');
    }
    expectKesError(await c.request(`/v1/key/decrypt/${k('m')}`, post('{"ciphertext":"@@@@"}')), 400, 'invalid request body');
    expectKesError(await c.request(`/v1/key/decrypt/${k('m')}`, post({ ciphertext: b64('short') })), 400, 'decryption failed: ciphertext is not authentic');
    expectKesError(await c.request(`/v1/key/hmac/${k('m')}`, { method: 'PUT', body: '{"message":1}' }), 400, 'invalid request body');
  });

  it('enforces the 1,000,000-byte body limit, with a length and chunked', async () => {
    await c.request(`/v1/key/create/${k('big')}`, { method: 'POST' });
    const wrap = (n: number) => `{"plaintext":"${'A'.repeat(n - 16)}"}`;
    expect(wrap(1_000_000)).toHaveLength(1_000_000);
    expectJsonOk(await c.request(`/v1/key/encrypt/${k('big')}`, post(wrap(1_000_000))));
    expectKesError(await c.request(`/v1/key/encrypt/${k('big')}`, post(`${wrap(1_000_000)} `)), 400, 'invalid request body');
    expectKesError(await c.request(`/v1/key/encrypt/${k('big')}`, { method: 'POST', body: `${wrap(1_000_000)} `, chunked: true }), 400, 'invalid request body');
    expectKesError(await c.request(`/v1/key/import/${k('big2')}`, { method: 'POST', body: ' '.repeat(1_000_001), chunked: true }), 400, 'invalid import key request body');
    // the connection (or session) still serves requests afterwards
    expectJsonOk(await c.request(`/v1/key/describe/${k('big')}`));
  });

  it('computes deterministic HMACs (PUT without Content-Type)', async () => {
    await c.request(`/v1/key/create/${k('h')}`, { method: 'POST' });
    const body = JSON.stringify({ message: b64('root access key') });
    const a = expectJsonOk(await c.request(`/v1/key/hmac/${k('h')}`, { method: 'PUT', body }));
    const b = expectJsonOk(await c.request(`/v1/key/hmac/${k('h')}`, { method: 'PUT', body }));
    expect(Buffer.from(a.hmac, 'base64')).toHaveLength(32);
    expect(a).toEqual(b);
  });
});

describe('key import', () => {
  it('imports AES256 and ChaCha20 keys under every accepted name and uses the imported material', async () => {
    const c = srv.client();
    for (const [cipher, type] of [['AES256', 'AES256'], ['AES256-GCM_SHA256', 'AES256'], ['ChaCha20', 'ChaCha20'], ['XCHACHA20-POLY1305', 'ChaCha20']] as const) {
      const material = randomBytes(32);
      const name = `imp-${cipher.replace(/_/g, '-')}`;
      expectEmptyOk(await c.request(`/v1/key/import/${name}`, post({ key: b64(material), cipher })));
      expect(expectJsonOk(await c.request(`/v1/key/describe/${name}`)).algorithm).toBe(type);
      const e = expectJsonOk(await c.request(`/v1/key/encrypt/${name}`, post({ plaintext: b64('secret'), context: b64('c') })));
      const local = newStoredKey({ type, keyBytes: material, createdBy: '' });
      expect(Buffer.from(decryptWithKey(local, Buffer.from(e.ciphertext, 'base64'), Buffer.from('c'))).toString()).toBe('secret');
      const foreign = encryptWithKey(local, Buffer.from('theirs'));
      expect(expectJsonOk(await c.request(`/v1/key/decrypt/${name}`, post({ ciphertext: b64(foreign) }))).plaintext).toBe(b64('theirs'));
      expectJsonOk(await c.request(`/v1/key/hmac/${name}`, { method: 'PUT', body: JSON.stringify({ message: '' }) }));
    }
  });

  it('accepts the legacy {"bytes"} body and a missing cipher as AES256', async () => {
    const c = srv.client();
    expectEmptyOk(await c.request('/v1/key/import/legacy-bytes', post({ bytes: b64(randomBytes(32)) })));
    expectEmptyOk(await c.request('/v1/key/import/no-cipher', post({ key: b64(randomBytes(32)), cipher: null })));
    expect(expectJsonOk(await c.request('/v1/key/describe/legacy-bytes')).algorithm).toBe('AES256');
  });

  it('answers bad imports with 400/406 in the order of the spec', async () => {
    const c = srv.client();
    const key32 = b64(Buffer.alloc(32));
    expectKesError(await c.request('/v1/key/import/i1', post('{"key":')), 400, 'invalid import key request body');
    expectKesError(await c.request('/v1/key/import/i1', post('{"key":"AAAA"x}')), 400, 'invalid import key request body');
    expectKesError(await c.request('/v1/key/import/i1', post({ key: 'AAA', cipher: 'AES256' })), 400, 'invalid import key request body');
    expectKesError(await c.request('/v1/key/import/i1', post({ key: key32, cipher: '' })), 406, "algorithm '' is not supported");
    expectKesError(await c.request('/v1/key/import/i1', post({ key: key32, cipher: '%!2' })), 406, "algorithm '%!2' is not supported");
    expectKesError(await c.request('/v1/key/import/i1', post({ key: b64(Buffer.alloc(16)), cipher: 'AES256' })), 406, "invalid key size for 'AES256'");
    expectKesError(await c.request('/v1/key/import/i1', post({ key: b64(Buffer.alloc(24)), cipher: 'ChaCha20' })), 406, "invalid key size for 'ChaCha20'");
    expectKesError(await c.request('/v1/key/import/i1', post({ cipher: 'AES256' })), 406, "invalid key size for 'AES256'");
    expectEmptyOk(await c.request('/v1/key/import/i1', post({ key: key32, cipher: 'AES256' })));
    expectKesError(await c.request('/v1/key/import/i1', post({ key: key32, cipher: 'AES256' })), 400, 'key does already exist');
  });
});

describe('legacy stored keys', () => {
  it('describes a legacy JSON key with zero time and answers HMAC with 501', async () => {
    await srv.keystore.create('legacy', Buffer.from(JSON.stringify({ bytes: b64(randomBytes(32)) })));
    const c = srv.client();
    expect(expectJsonOk(await c.request('/v1/key/describe/legacy'))).toEqual({ name: 'legacy', algorithm: 'AES256', created_at: '0001-01-01T00:00:00Z' });
    expectKesError(await c.request('/v1/key/hmac/legacy', { method: 'PUT', body: JSON.stringify({ message: b64('x') }) }), 501, 'key does not support HMAC');
    const e = expectJsonOk(await c.request('/v1/key/encrypt/legacy', post({ plaintext: b64('x') })));
    expect(expectJsonOk(await c.request('/v1/key/decrypt/legacy', post({ ciphertext: e.ciphertext }))).plaintext).toBe(b64('x'));
  });

  it('answers an unparsable stored value with 502 failed to read key', async () => {
    await srv.keystore.create('garbage', Buffer.from('not a key'));
    expectKesError(await srv.client().request('/v1/key/describe/garbage'), 502, 'failed to read key');
  });
});

describe('list and delete', () => {
  it('lists sorted names with prefix patterns, %2A and without a trailing slash', async () => {
    const c = srv.client();
    for (const n of ['ls-b', 'ls-a', 'ls-c1', 'other']) await c.request(`/v1/key/create/${n}`, { method: 'POST' });
    const all = expectJsonOk(await c.request('/v1/key/list'));
    expect(all.names).toEqual([...all.names].sort());
    expect(all.names).toEqual(expect.arrayContaining(['ls-a', 'ls-b', 'ls-c1', 'other']));
    expect(all).not.toHaveProperty('continue_at');
    expect(expectJsonOk(await c.request('/v1/key/list/')).names).toEqual(all.names);
    expect(expectJsonOk(await c.request('/v1/key/list/%2A')).names).toEqual(all.names);
    expect(expectJsonOk(await c.request('/v1/key/list/ls-*'))).toEqual({ names: ['ls-a', 'ls-b', 'ls-c1'] });
    expect(expectJsonOk(await c.request('/v1/key/list/ls-c'))).toEqual({ names: ['ls-c1'] });
    expect(expectJsonOk(await c.request('/v1/key/list/zz'))).toEqual({ names: [] });
    expectKesError(await c.request('/v1/key/list/a*b'), 400, "listing pattern 'a*b' is empty, too long or is invalid");
  });

  it('pages at 1024 names with continue_at', async () => {
    const c = srv.client();
    for (let i = 0; i < 1030; i++) await srv.keystore.create(`page-${String(i).padStart(4, '0')}`, Buffer.from('x'));
    const page = expectJsonOk(await c.request('/v1/key/list/page-*'));
    expect(page.names).toHaveLength(1024);
    expect(page.continue_at).toBe('page-1024');
  });

  it('deletes keys (and evicts them from the cache)', async () => {
    const c = srv.client();
    await c.request('/v1/key/create/del-me', { method: 'POST' });
    expectJsonOk(await c.request('/v1/key/describe/del-me'));
    expectEmptyOk(await c.request('/v1/key/delete/del-me', { method: 'DELETE' }));
    expectKesError(await c.request('/v1/key/describe/del-me'), 404, 'key does not exist');
    expectKesError(await c.request('/v1/key/delete/del-me', { method: 'DELETE' }), 404, 'key does not exist');
  });
});

describe('bulk decrypt', () => {
  it('decrypts many ciphertexts in order and fails as a whole', async () => {
    const c = srv.client();
    await c.request('/v1/key/create/bulk', { method: 'POST' });
    const items = [];
    for (const text of ['one', 'two', '']) {
      const e = expectJsonOk(await c.request('/v1/key/encrypt/bulk', post({ plaintext: b64(text), context: b64(text) })));
      items.push({ ciphertext: e.ciphertext, context: b64(text) });
    }
    expect(expectJsonOk(await c.request('/v1/key/bulk/decrypt/bulk', post(items)))).toEqual([{ plaintext: b64('one') }, { plaintext: b64('two') }, { plaintext: '' }]);
    expectKesError(await c.request('/v1/key/bulk/decrypt/bulk', post([items[0], { ciphertext: items[1]!.ciphertext }])), 400, 'decryption failed: ciphertext is not authentic');
    expectKesError(await c.request('/v1/key/bulk/decrypt/bulk', post(Array(1001).fill(items[0]))), 400, 'too many ciphertexts');
    expectKesError(await c.request('/v1/key/bulk/decrypt/bulk', post('{}')), 400, 'invalid request body');
    const m = await c.request('/v1/key/bulk/decrypt/bulk', { method: 'PUT', body: '[]' });
    expectKesError(m, 405, "received method 'PUT' expected 'POST'");
  });
});

describe('keystore failures', () => {
  it('maps backend errors to 502 failed to … and logs them', async () => {
    const keystore = new FlakyKeystore();
    const s = await startTestServer(fx, { keystore });
    try {
      const c = s.client();
      await c.request('/v1/key/create/present', { method: 'POST' });
      keystore.mode = 'broken';
      expectKesError(await c.request('/v1/key/create/x', { method: 'POST' }), 502, 'failed to create key');
      expectKesError(await c.request('/v1/key/import/x', post({ key: b64(Buffer.alloc(32)) })), 502, 'failed to create key');
      expectKesError(await c.request('/v1/key/describe/x'), 502, 'failed to read key');
      expectKesError(await c.request('/v1/key/generate/x', post('{}')), 502, 'failed to read key');
      expectKesError(await c.request('/v1/key/delete/x', { method: 'DELETE' }), 502, 'failed to delete key');
      expectKesError(await c.request('/v1/key/list/'), 502, 'failed to list keys');
      keystore.mode = 'unreachable';
      expectKesError(await c.request('/v1/key/describe/y'), 502, 'failed to read key');
      expect(s.stderr.lines.some((l) => / level=ERROR msg="failed to create key: backend exploded" req\.method=POST req\.path=\/v1\/key\/create\/x req\.ip=127\.0\.0\.1 req\.identity=[0-9a-f]{64}$/.test(l))).toBe(true);
      expect(s.stderr.lines.join('\n')).not.toMatch(/plaintext|"key"/);
    } finally {
      await s.close();
    }
    expect(keystore.closed).toBe(true);
  });
});
