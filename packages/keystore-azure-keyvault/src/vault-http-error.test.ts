import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryAfterMs, VaultHttpError } from './vault-http-error.js';

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('retryAfterMs', () => {
  it('reads retry-after-ms, x-ms-retry-after-ms, Retry-After seconds and HTTP dates', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '1500' }))).toBe(1500);
    expect(retryAfterMs(headers({ 'x-ms-retry-after-ms': '20' }))).toBe(20);
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)).toBe(0);
  });

  it('is undefined without a usable header, and never throws', () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after-ms': '-1', 'retry-after': '' }))).toBeUndefined();
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('retry-after', 'retry-after-ms', 'x-ms-retry-after-ms'), fc.string()), (h) => {
        const v = retryAfterMs(headers(h));
        expect(v === undefined || (Number.isFinite(v) && v >= 0)).toBe(true);
      }),
    );
  });
});

describe('VaultHttpError', () => {
  it('takes code, message and the innermost inner code from a Key Vault error body', () => {
    const body = JSON.stringify({
      error: { code: 'Conflict', message: 'Secret x is being deleted.', innererror: { code: 'Outer', innererror: { code: 'ObjectIsBeingDeleted' } } },
    });
    const e = new VaultHttpError(409, 'PUT', 'https://v/secrets/x', body, undefined);
    expect(e).toMatchObject({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsBeingDeleted', message: 'Secret x is being deleted.', method: 'PUT' });
  });

  it('falls back to the HTTP status for bodies that are not Key Vault errors, and never throws', () => {
    expect(new VaultHttpError(502, 'GET', 'u', '<html>bad gateway</html>', undefined)).toMatchObject({ code: 'HTTP 502', message: 'Key Vault answered HTTP 502' });
    expect(new VaultHttpError(500, 'GET', 'u', undefined, undefined).innerCode).toBeUndefined();
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (body) => {
        const e = new VaultHttpError(400, 'GET', 'u', body, 10);
        expect(typeof e.code).toBe('string');
        expect(typeof e.message).toBe('string');
        expect(e.innerCode === undefined || typeof e.innerCode === 'string').toBe(true);
      }),
    );
  });
});
