import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanPath } from '../http/path.js';
import { RouteTable } from './route-table.js';
import { ROUTES } from './routes.js';

/** The general algorithm of cleanPath, without its fast path. */
function referenceClean(p: string): string {
  if (p === '') return '/';
  const rooted = p.startsWith('/') ? p : `/${p}`;
  const out: string[] = [];
  for (const element of rooted.split('/')) {
    if (element === '' || element === '.') continue;
    if (element === '..') out.pop();
    else out.push(element);
  }
  let clean = `/${out.join('/')}`;
  if (rooted.endsWith('/') && clean !== '/') clean += '/';
  return clean;
}

const segment = fc.oneof(fc.constantFrom('', '.', '..', '.a', 'a.', 'v1', 'key', 'list', 'generate', 'k', '*', 'a b'), fc.stringMatching(/^[a-z0-9._*-]{0,6}$/));
const path = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 6 })).map(([rooted, segs]) => `${rooted ? '/' : ''}${segs.join('/')}`);

describe('fast paths of cleanPath and RouteTable.match', () => {
  it('cleanPath equals the general algorithm (property)', () => {
    fc.assert(
      fc.property(path, (p) => {
        expect(cleanPath(p)).toBe(referenceClean(p));
      }),
      { numRuns: 5000 },
    );
  });

  it('a path without escapes matches like the same path with a letter percent-escaped (property)', () => {
    const table = new RouteTable(ROUTES, {});
    const routed = fc.tuple(fc.constantFrom(...ROUTES.map((r) => r.path), '/v1/key/list', '/v1/identity/self', '/v1'), fc.stringMatching(/^[a-z0-9/_*.-]{0,12}$/)).map(([a, b]) => `${a}${b}`);
    fc.assert(
      fc.property(routed, (p) => {
        const i = p.search(/[a-z]/);
        fc.pre(i >= 0);
        const escaped = `${p.slice(0, i)}%${p.charCodeAt(i).toString(16)}${p.slice(i + 1)}`;
        expect(table.match(p)).toEqual(table.match(escaped));
      }),
      { numRuns: 5000 },
    );
  });
});
