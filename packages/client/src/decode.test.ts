import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeApis, decodeIdentityInfo, decodeKeyInfo, decodePolicy, decodeSelf, decodeStatus } from './decode.js';
import { isKesClientError } from './errors.js';
import { apiToJSON, statusToJSON } from './go-json.js';
import { bytes } from './json.js';
import { PagedListing, parseJsonListing, parseLegacyListing } from './listing.js';
import type { ListPage } from './types.js';

const where = { what: 'test' };

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return isKesClientError(err) ? err.code : 'NOT_A_CLIENT_ERROR';
  }
  return undefined;
}

describe('decodeStatus', () => {
  const base = { version: 'v1', os: 'linux', arch: 'amd64', uptime: 12, num_cpu: 8, num_cpu_used: 4, mem_heap_used: 10, mem_stack_used: 20 };

  it('decodes a healthy status', () => {
    expect(decodeStatus({ ...base, keystore_latency: 3 }, where)).toEqual({
      version: 'v1', os: 'linux', arch: 'amd64', uptimeSeconds: 12, cpus: 8, usableCpus: 4, heapAlloc: 10, stackAlloc: 20,
      keystoreLatencyMs: 3, keystoreUnreachable: false, keystoreUnavailable: false,
    });
  });

  it('treats keystore_unreachable alone (HEAD) as unavailable too, instead of failing like the Go SDK', () => {
    const s = decodeStatus({ ...base, keystore_unreachable: true }, where);
    expect(s.keystoreUnreachable).toBe(true);
    expect(s.keystoreUnavailable).toBe(true);
    expect(s.keystoreLatencyMs).toBeUndefined();
    expect(decodeStatus({ ...base, keystore_unavailable: true }, where).keystoreUnreachable).toBe(false);
  });

  it('matches keys case-insensitively like Go and rejects wrong types', () => {
    const { version: _omitted, ...rest } = base;
    expect(decodeStatus({ ...rest, VERSION: 'X' }, where).version).toBe('X');
    expect(decodeStatus({ ...base, VERSION: 'X' }, where).version).toBe('v1');
    expect(code(() => decodeStatus({ ...base, num_cpu: -1 }, where))).toBe('INVALID_RESPONSE');
    expect(code(() => decodeStatus({ ...base, uptime: '12' }, where))).toBe('INVALID_RESPONSE');
    expect(code(() => decodeStatus([], where))).toBe('INVALID_RESPONSE');
  });

  it('renders the Go SDK State JSON (omitempty)', () => {
    const s = decodeStatus({ ...base, uptime: 12.6, keystore_unreachable: true }, where);
    expect(statusToJSON(s)).toEqual({
      version: 'v1', os: 'linux', arch: 'amd64', uptime: 13, num_cpu: 8, num_cpu_used: 4, mem_heap_used: 10,
      mem_stack_used: 20, keystore_unreachable: true, keystore_unavailable: true,
    });
  });
});

describe('other decoders', () => {
  it('decodes /v1/api', () => {
    const apis = decodeApis([{ method: 'PUT', path: '/v1/key/create/', max_body: 0, timeout: 15 }], where);
    expect(apis).toEqual([{ method: 'PUT', path: '/v1/key/create/', maxBody: 0, timeoutSeconds: 15 }]);
    expect(apiToJSON(apis[0] as (typeof apis)[number])).toEqual({ method: 'PUT', path: '/v1/key/create/', timeout: 15 });
    expect(code(() => decodeApis([{ max_body: -1 }], where))).toBe('INVALID_RESPONSE');
    expect(code(() => decodeApis({}, where))).toBe('INVALID_RESPONSE');
  });

  it('decodes key info, requiring an algorithm', () => {
    expect(decodeKeyInfo({ name: 'k', algorithm: 'AES256', created_at: '2024-01-12T10:39:20.886816123Z' }, where, 'k')).toEqual({
      name: 'k', algorithm: 'AES256', createdAt: '2024-01-12T10:39:20.886816123Z',
    });
    expect(code(() => decodeKeyInfo({ name: 'k', algorithm: '' }, where, 'k'))).toBe('INVALID_RESPONSE');
  });

  it('decodes policies in map and legacy array form', () => {
    expect(decodePolicy({ name: 'p', allow: { '/v1/b': {}, '/v1/a': {} }, created_by: 'x' }, where, 'p')).toEqual({
      name: 'p', allow: ['/v1/a', '/v1/b'], deny: [], createdBy: 'x',
    });
    expect(decodePolicy({ allow: ['/v1/x'], deny: ['/v1/y'] }, where, 'q')).toEqual({ name: 'q', allow: ['/v1/x'], deny: ['/v1/y'] });
    expect(code(() => decodePolicy({ allow: 'x' }, where, 'p'))).toBe('INVALID_RESPONSE');
  });

  it('decodes identities (admin and assigned)', () => {
    expect(decodeIdentityInfo({ admin: true, created_at: 't' }, where, 'id')).toEqual({ identity: 'id', admin: true, createdAt: 't' });
    expect(decodeIdentityInfo({ policy: 'p', created_by: 'a' }, where, 'id')).toEqual({ identity: 'id', admin: false, policy: 'p', createdBy: 'a' });
  });

  it('decodes self-describe shapes A, B and C to the same fields', () => {
    const expected = { identity: 'i', admin: false, createdAt: 't', policyName: 'p', allow: ['/v1/a'], deny: ['/v1/d'] };
    const b = { identity: 'i', admin: false, created_at: 't', policy: 'p', allow: { '/v1/a': {} }, deny: { '/v1/d': {} } };
    const a = { identity: 'i', admin: false, policy_name: 'p', created_at: 't', policy: { allow: ['/v1/a'], deny: ['/v1/d'] } };
    const c = { identity: 'i', created_at: 't', policy: { name: 'p', allow: { '/v1/a': {} }, deny: { '/v1/d': {} } } };
    expect(decodeSelf(b, where)).toEqual(expected);
    expect(decodeSelf(a, where)).toEqual(expected);
    expect(decodeSelf(c, where)).toEqual(expected);
    expect(decodeSelf({ identity: 'i', admin: true }, where)).toEqual({ identity: 'i', admin: true, allow: [], deny: [] });
  });

  it('decodes strict base64 only', () => {
    expect(bytes({ p: 'AAE=' }, 'p', where)).toEqual(Buffer.from([0, 1]));
    expect(bytes({}, 'p', where)).toEqual(Buffer.alloc(0));
    for (const bad of ['AAE', 'AA-_', ' AAE=', 1]) expect(code(() => bytes({ p: bad }, 'p', where))).toBe('INVALID_RESPONSE');
  });

  it('never throws anything but INVALID_RESPONSE on arbitrary JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const f of [
          () => decodeStatus(v, where),
          () => decodeSelf(v, where),
          () => decodePolicy(v, where, 'p'),
          () => decodeKeyInfo(v, where, 'k'),
          () => decodeApis(v, where),
        ]) {
          const c = code(f);
          if (c !== undefined && c !== 'INVALID_RESPONSE') return false;
        }
        return true;
      }),
    );
  });
});

describe('listings', () => {
  it('parses the JSON form', () => {
    expect(parseJsonListing(Buffer.from('{"names":["a","b"],"continue_at":"c"}\n'), 'names', where)).toEqual({ names: ['a', 'b'], continueAt: 'c' });
    expect(parseJsonListing(Buffer.from('{"identities":["x"]}'), 'identities', where)).toEqual({ names: ['x'], continueAt: '' });
    expect(parseJsonListing(Buffer.from('{}'), 'names', where)).toEqual({ names: [], continueAt: '' });
    expect(code(() => parseJsonListing(Buffer.from('{"names":[1]}'), 'names', where))).toBe('INVALID_RESPONSE');
  });

  it('parses the legacy ndjson form (sorted names; error lines throw)', () => {
    expect(parseLegacyListing('{"name":"b"}\n{"name":"a","id":"x"}\n', 'names', where)).toEqual({ names: ['a', 'b'], continueAt: '' });
    expect(parseLegacyListing('{"identity":"z"}\n{"identity":"y"}', 'identities', where).names).toEqual(['z', 'y']);
    let caught: unknown;
    try {
      parseLegacyListing('{"name":"a"}\n{"error":"failed to list keys"}\n', 'names', where);
    } catch (err) {
      caught = err;
    }
    expect(isKesClientError(caught, 'HTTP') && caught.message).toBe('failed to list keys');
    expect(code(() => parseLegacyListing('not json\n', 'names', where))).toBe('INVALID_RESPONSE');
  });

  it('round-trips names through both listing forms (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.string(), (names, continueAt) => {
        const json = parseJsonListing(Buffer.from(JSON.stringify({ names, continue_at: continueAt })), 'names', where);
        const ndjson = parseLegacyListing(names.map((name) => JSON.stringify({ name })).join('\n'), 'names', where);
        const sorted = [...names].sort();
        return (
          JSON.stringify(json) === JSON.stringify({ names, continueAt }) &&
          JSON.stringify(ndjson) === JSON.stringify({ names: sorted, continueAt: '' })
        );
      }),
    );
  });

  it('pages like the Go SDK, re-using continue_at as prefix and skipping repeats', async () => {
    const pages: Record<string, ListPage> = {
      'k*': { names: ['k1', 'k2'], continueAt: 'k3' },
      k3: { names: ['k3', 'k30'], continueAt: '' },
    };
    const seen: string[] = [];
    const listing = new PagedListing('k*', async (p) => {
      seen.push(p);
      return pages[p] as ListPage;
    });
    expect(await listing.all()).toEqual(['k1', 'k2', 'k3', 'k30']);
    expect(seen).toEqual(['k*', 'k3']);
    const stuck = new PagedListing('', async () => ({ names: ['a'], continueAt: 'a' }));
    expect(await stuck.all()).toEqual(['a']);
  });
});
