import { describe, expect, it } from 'vitest';
import type { Handler } from '../handlers/handler.js';
import { RouteTable } from './route-table.js';
import { ROUTES } from './routes.js';

const table = new RouteTable(ROUTES);
const m = (p: string) => table.match(p);

describe('RouteTable.match', () => {
  it('matches exact routes only exactly', () => {
    expect(m('/v1/status')).toMatchObject({ route: { path: '/v1/status' }, resource: '', authPath: '/v1/status' });
    expect(m('/v1/status/')).toBe('not-found');
    expect(m('/v1%2Fstatus')).toBe('not-found');
    expect(m('/v1/st%61tus')).toMatchObject({ route: { path: '/v1/status' } });
    expect(m('/v1/identity/self/describe')).toMatchObject({ route: { path: '/v1/identity/self/describe' } });
  });

  it('matches prefix routes and decodes the resource', () => {
    expect(m('/v1/key/list/%2A')).toMatchObject({ route: { path: '/v1/key/list/' }, resource: '*', path: '/v1/key/list/*', authPath: '/v1/key/list/*' });
    expect(m('/v1/key/describe/..%2Fetc')).toMatchObject({ resource: '../etc', path: '/v1/key/describe/../etc' });
    expect(m('/v1/key/create/a/b')).toMatchObject({ route: { path: '/v1/key/create/' }, resource: 'a/b' });
    expect(m('/v1/key/list/')).toMatchObject({ resource: '', authPath: '/v1/key/list/' });
  });

  it('serves a prefix route’s bare path, authorized as if it ended in a slash', () => {
    expect(m('/v1/key/list')).toMatchObject({ route: { path: '/v1/key/list/' }, resource: '', path: '/v1/key/list', authPath: '/v1/key/list/' });
    expect(m('/v1/identity/list')).toMatchObject({ route: { path: '/v1/identity/list/' }, authPath: '/v1/identity/list/' });
  });

  it('answers not-found and bad-request', () => {
    expect(m('/v1/unknown')).toBe('not-found');
    expect(m('/')).toBe('not-found');
    expect(m('/v1/key')).toBe('not-found');
    expect(m('/v1/key/list/%zz')).toBe('bad-request');
  });
});

describe('RouteTable overrides and listing', () => {
  it('applies api: overrides by exact registered path', () => {
    const t = new RouteTable(ROUTES, {
      '/v1/status': { skipAuth: true, timeoutMs: 3000 },
      '/v1/key/create/': { timeoutMs: 60_000 },
      '/v1/key/create': { skipAuth: true },
      '/version': { skipAuth: true },
    });
    expect(t.anySkipAuth).toBe(true);
    const byPath = new Map(t.routes.map((r) => [r.path, r]));
    expect(byPath.get('/v1/status')).toMatchObject({ auth: 'identify', timeoutMs: 3000 });
    expect(byPath.get('/v1/key/create/')).toMatchObject({ auth: 'policy', timeoutMs: 60_000 });
    expect(byPath.get('/version')).toMatchObject({ auth: 'none' });
    expect(t.describe()).toContainEqual({ method: 'GET', path: '/v1/status', max_body: 0, timeout: 3 });
    expect(new RouteTable(ROUTES).anySkipAuth).toBe(false);
  });

  it('lists every route of the spec with method, body limit and timeout', () => {
    const listed = new RouteTable(ROUTES).describe();
    expect(listed).toContainEqual({ method: 'PUT', path: '/v1/key/import/', max_body: 1_000_000, timeout: 15 });
    expect(listed).toContainEqual({ method: 'GET', path: '/v1/api', max_body: 0, timeout: 10 });
    expect(listed).toContainEqual({ method: 'GET', path: '/v1/log/audit', max_body: 0, timeout: 0 });
    expect(listed).toContainEqual({ method: 'POST', path: '/v1/key/bulk/decrypt/', max_body: 1_000_000, timeout: 15 });
    expect(listed).toHaveLength(23);
  });

  it('ignores a zero or negative timeout override', () => {
    const noop: Handler = async () => ({ kind: 'empty' });
    const t = new RouteTable([{ path: '/x', method: 'GET', maxBody: 0, timeoutMs: 5, auth: 'policy', metered: false, handler: noop }], { '/x': { timeoutMs: 0 } });
    expect(t.routes[0]!.timeoutMs).toBe(5);
  });
});
