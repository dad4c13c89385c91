import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEndpoint } from './endpoint.js';

describe('normalizeEndpoint', () => {
  it.each([
    ['secretsmanager.us-east-2.amazonaws.com', 'https://secretsmanager.us-east-2.amazonaws.com'],
    ['  secretsmanager.us-east-2.amazonaws.com/  ', 'https://secretsmanager.us-east-2.amazonaws.com'],
    ['https://secretsmanager.eu-west-1.amazonaws.com', 'https://secretsmanager.eu-west-1.amazonaws.com'],
    ['HTTPS://Secretsmanager.EU-west-1.amazonaws.com/', 'https://secretsmanager.eu-west-1.amazonaws.com'],
    ['http://127.0.0.1:4572', 'http://127.0.0.1:4572'],
    ['127.0.0.1:4572', 'https://127.0.0.1:4572'],
    ['localhost:4566/proxy/sm/', 'https://localhost:4566/proxy/sm'],
    ['[::1]:8443', 'https://[::1]:8443'],
    ['https://example.com:443', 'https://example.com'],
  ])('%s → %s', (input, url) => {
    expect(normalizeEndpoint(input)).toEqual({ ok: true, url });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['ftp://example.com', /scheme 'ftp' is not supported/],
    ['https://user:pw@example.com', /user info/],
    ['example.com?x=1', /query string/],
    ['example.com#frag', /fragment/],
    ['http://', /not a valid host or URL/],
    ['exa mple.com', /not a valid host or URL/],
  ])('refuses %j', (input, reason) => {
    const result = normalizeEndpoint(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('never throws; an accepted endpoint is an http(s) URL that normalizes to itself', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.domain()), (input) => {
        const result = normalizeEndpoint(input);
        if (!result.ok) return;
        expect(result.url).toMatch(/^https?:\/\/[^/?#]+/);
        expect(new URL(result.url).protocol).toMatch(/^https?:$/);
        expect(normalizeEndpoint(result.url)).toEqual(result);
      }),
    );
  });
});
