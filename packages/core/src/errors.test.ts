import { describe, expect, it } from 'vitest';
import { Errors, KesError, isKesError } from './errors.js';

describe('error catalog', () => {
  it('carries the exact KES texts and statuses of spec §2.5 and §12', () => {
    const cases: Array<[KesError, number, string]> = [
      [Errors.methodNotAllowed('GET', 'PUT'), 405, "received method 'GET' expected 'PUT'"],
      [Errors.keyExists(), 400, 'key does already exist'],
      [Errors.keyNotFound(), 404, 'key does not exist'],
      [Errors.notAllowed(), 403, 'prohibited by policy'],
      [Errors.notAuthentic(), 400, 'decryption failed: ciphertext is not authentic'],
      [Errors.hmacNotSupported(), 501, 'key does not support HMAC'],
      [Errors.invalidKeyName('a/b'), 400, "key name 'a/b' is empty, too long or contains invalid characters"],
      [Errors.invalidPattern('*a'), 400, "listing pattern '*a' is empty, too long or is invalid"],
      [Errors.keystoreNotReachable(), 504, 'key store is not reachable'],
      [Errors.keystoreUnavailable(), 502, 'key store is unavailable'],
      [Errors.unsupportedAlgorithm(''), 406, "algorithm '' is not supported"],
      [Errors.invalidKeySize('AES256'), 406, "invalid key size for 'AES256'"],
    ];
    for (const [err, status, message] of cases) {
      expect(err).toBeInstanceOf(KesError);
      expect(err.status).toBe(status);
      expect(err.message).toBe(message);
    }
  });

  it('isKesError matches by class and code', () => {
    expect(isKesError(Errors.keyNotFound(), 'KEY_NOT_FOUND')).toBe(true);
    expect(isKesError(Errors.keyNotFound(), 'KEY_EXISTS')).toBe(false);
    expect(isKesError(new Error('key does not exist'))).toBe(false);
  });
});
