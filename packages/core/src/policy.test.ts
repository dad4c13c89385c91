import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Policy, matchPolicyPattern } from './policy.js';

/** Path-like strings over a small alphabet so that prefixes and equalities actually occur. */
const pathish = fc.string({ maxLength: 24, unit: fc.constantFrom('/', 'v', '1', 'k', 'e', 'y', '-', '*', '?', '[', 'é', '😀') });

describe('matchPolicyPattern', () => {
  it.each([
    ['/v1/status', '/v1/status', true],
    ['/v1/status', '/v1/status/', false],
    ['/v1/status', '/v1/statu', false],
    ['/v1/key/*', '/v1/key/create/my-key', true], // crosses '/'
    ['/v1/key/*', '/v1/key/', true], // empty suffix
    ['/v1/key/*', '/v1/key', false],
    ['/v1/key/*', '/v1/keys', false],
    ['/v1/key/create/my*', '/v1/key/create/my-key', true],
    ['/v1/key/create/my*', '/v1/key/create/m', false],
    ['/v1/key/*/my-key', '/v1/key/create/my-key', false], // non-trailing '*' is literal
    ['/v1/key/*/my-key', '/v1/key/*/my-key', true],
    ['/v1/key/?', '/v1/key/a', false],
    ['/v1/key/[a]', '/v1/key/a', false],
    ['*', '', true],
    ['*', '/anything/at/all', true],
    ['**', '*x', true],
    ['**', 'x*', false],
    ['', '', false],
    ['', '/v1/status', false],
    ['/V1/STATUS', '/v1/status', false], // case-sensitive
  ])('%j vs %j → %s', (pattern, path, expected) => {
    expect(matchPolicyPattern(pattern, path)).toBe(expected);
  });

  it('compares UTF-8 bytes: a lone high surrogate is no prefix of the astral character it starts', () => {
    expect(matchPolicyPattern('/k/\ud83d*', '/k/😀')).toBe(false);
    expect(matchPolicyPattern('/k/\ud83d*', '/k/\ud83dx')).toBe(true);
    expect(matchPolicyPattern('/k/😀*', '/k/😀/x')).toBe(true);
  });

  it('empty pattern never matches', () => {
    fc.assert(fc.property(fc.string(), (path) => !matchPolicyPattern('', path)));
  });

  it('trailing * is exactly a byte-wise prefix test on UTF-8', () => {
    fc.assert(
      fc.property(pathish, pathish, (prefix, path) => {
        const bytesPrefix = Buffer.from(path).subarray(0, Buffer.byteLength(prefix)).equals(Buffer.from(prefix));
        return matchPolicyPattern(`${prefix}*`, path) === bytesPrefix;
      }),
    );
  });

  it('prefix* matches prefix followed by any suffix (including / and *)', () => {
    fc.assert(fc.property(pathish, fc.string(), (prefix, suffix) => matchPolicyPattern(`${prefix}*`, prefix + suffix)));
  });

  it('a pattern without trailing * matches only itself', () => {
    const literal = pathish.filter((p) => p !== '' && !p.endsWith('*'));
    fc.assert(fc.property(literal, pathish, (pattern, path) => matchPolicyPattern(pattern, path) === (pattern === path)));
  });
});

describe('Policy', () => {
  it('empty policy rejects everything', () => {
    const policy = new Policy({});
    fc.assert(fc.property(fc.string(), (path) => !policy.verify(path)));
  });

  it('deny wins over allow, then allow, else reject', () => {
    const policy = new Policy({
      allow: ['/v1/key/create/my*', '/v1/key/create/your*', '/v1/status'],
      deny: ['/v1/key/create/my-key*'],
    });
    expect(policy.verify('/v1/key/create/my-key')).toBe(false);
    expect(policy.verify('/v1/key/create/my-key1')).toBe(false);
    expect(policy.verify('/v1/key/create/my-minio-key')).toBe(true);
    expect(policy.verify('/v1/key/create/your-key')).toBe(true);
    expect(policy.verify('/v1/status')).toBe(true);
    expect(policy.verify('/v1/status/')).toBe(false);
    expect(policy.verify('/v1/identity/list/a')).toBe(false);
  });

  it('a legacy glob deny (non-trailing *) never matches under current semantics', () => {
    const policy = new Policy({ allow: ['/v1/key/decrypt/my-key*'], deny: ['/v1/key/*/my-key-internal'] });
    expect(policy.verify('/v1/key/decrypt/my-key-internal')).toBe(true);
  });

  it('verify = !any(deny matches) && any(allow matches)', () => {
    const patterns = fc.array(fc.oneof(pathish, pathish.map((p) => `${p}*`), fc.constant('')), { maxLength: 4 });
    fc.assert(
      fc.property(patterns, patterns, pathish, (allow, deny, path) => {
        const expected = !deny.some((p) => matchPolicyPattern(p, path)) && allow.some((p) => matchPolicyPattern(p, path));
        return new Policy({ allow, deny }).verify(path) === expected;
      }),
    );
  });

  it('a matching deny pattern always rejects, whatever is allowed', () => {
    fc.assert(
      fc.property(fc.array(pathish), pathish, pathish, (allow, prefix, suffix) => {
        return !new Policy({ allow: [...allow, '*', prefix + suffix], deny: [`${prefix}*`] }).verify(prefix + suffix);
      }),
    );
  });

  it('copies and freezes its pattern lists', () => {
    const allow = ['/v1/status'];
    const policy = new Policy({ allow });
    allow.push('*');
    expect(policy.allow).toEqual(['/v1/status']);
    expect(policy.deny).toEqual([]);
    expect(Object.isFrozen(policy.allow)).toBe(true);
    expect(policy.verify('/v1/metrics')).toBe(false);
  });
});
