import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatListenAddress, parseListenAddress } from './address.js';
import { closestName, editDistance } from './suggest.js';

describe('parseListenAddress', () => {
  it.each([
    ['0.0.0.0:7373', { host: '0.0.0.0', port: 7373 }],
    [':7373', { host: '', port: 7373 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    ['[fe80::1]:65535', { host: 'fe80::1', port: 65535 }],
  ])('%s', (text, address) => {
    expect(parseListenAddress(text)).toEqual(address);
  });

  it.each(['7373', 'localhost:7373', '::1:7373', '1.2.3.4:', '1.2.3.4:65536', '1.2.3.4:-1', '1.2.3.4:http', '[::1]', '1.2.3:80'])('refuses %j', (text) => {
    expect(parseListenAddress(text)).toHaveProperty('error');
  });

  it('parses what formatListenAddress prints (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('')), fc.integer({ min: 0, max: 65535 }), (host, port) => {
        expect(parseListenAddress(formatListenAddress({ host, port }))).toEqual({ host, port });
      }),
    );
  });

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseListenAddress(s)));
  });
});

describe('closestName', () => {
  it('suggests near misses only', () => {
    expect(closestName('polcy', ['policy', 'keys'])).toBe('policy');
    expect(closestName('key_vault', ['keyvault'])).toBe('keyvault');
    expect(closestName('skip-auth', ['skip_auth'])).toBe('skip_auth');
    expect(closestName('unrelated', ['policy', 'keys'])).toBeUndefined();
    expect(closestName('ab', ['api'])).toBeUndefined();
  });

  it('edit distance is a metric on small strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});
