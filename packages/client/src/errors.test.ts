import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  errorCodeFor,
  errorFromResponse,
  isDecryptFailed,
  isKesClientError,
  isKeyExists,
  isKeyNotFound,
  isNotAllowed,
  KesClientError,
  KNOWN_SERVER_ERRORS,
  MAX_ERROR_BODY,
} from './errors.js';

const json = (s: string): Uint8Array => Buffer.from(s);

describe('errorCodeFor', () => {
  it('maps the current and the legacy texts to the same code', () => {
    expect(errorCodeFor(400, 'key already exists')).toBe('KEY_EXISTS');
    expect(errorCodeFor(400, 'key does already exist')).toBe('KEY_EXISTS');
    expect(errorCodeFor(403, 'not authorized: insufficient permissions')).toBe('NOT_ALLOWED');
    expect(errorCodeFor(403, 'prohibited by policy')).toBe('NOT_ALLOWED');
  });

  it('maps the other server errors the Go SDK names', () => {
    expect(errorCodeFor(404, 'key does not exist')).toBe('KEY_NOT_FOUND');
    expect(errorCodeFor(404, 'policy does not exist')).toBe('POLICY_NOT_FOUND');
    expect(errorCodeFor(404, 'identity does not exist')).toBe('IDENTITY_NOT_FOUND');
    expect(errorCodeFor(400, 'decryption failed: ciphertext is not authentic')).toBe('DECRYPT');
    expect(errorCodeFor(503, 'change committed but not replicated')).toBe('PARTIAL_WRITE');
    expect(errorCodeFor(501, 'key does not support HMAC')).toBe('HMAC_NOT_SUPPORTED');
    expect(errorCodeFor(409, 'key does not support HMAC')).toBe('HMAC_NOT_SUPPORTED');
  });

  it('requires status and message to match together', () => {
    expect(errorCodeFor(404, 'key already exists')).toBe('HTTP');
    expect(errorCodeFor(400, 'prohibited by policy')).toBe('HTTP');
    expect(errorCodeFor(403, 'Prohibited by policy')).toBe('HTTP');
    expect(errorCodeFor(400, 'key name \'a/b\' is empty, too long or contains invalid characters')).toBe('HTTP');
  });

  it('maps every text of every known error to its code (property)', () => {
    const pairs = KNOWN_SERVER_ERRORS.flatMap((k) => k.messages.map((m) => ({ k, m })));
    fc.assert(
      fc.property(fc.constantFrom(...pairs), ({ k, m }) => errorCodeFor(k.status, m) === k.code),
    );
  });

  it('maps unknown messages to HTTP (property)', () => {
    const known = new Set(KNOWN_SERVER_ERRORS.flatMap((k) => k.messages).concat('key does not support HMAC'));
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.string(), (status, message) => {
        fc.pre(!known.has(message));
        return errorCodeFor(status, message) === 'HTTP';
      }),
    );
  });
});

describe('errorFromResponse', () => {
  it('reads message from a JSON body (KES quirk: newline inside the object)', () => {
    const e = errorFromResponse(404, 'application/json', json('{"message":"key does not exist"\n}'), 'https://a');
    expect(e).toBeInstanceOf(KesClientError);
    expect(e.code).toBe('KEY_NOT_FOUND');
    expect(e.status).toBe(404);
    expect(e.message).toBe('key does not exist');
    expect(e.endpoint).toBe('https://a');
    expect(isKeyNotFound(e)).toBe(true);
  });

  it('prefers a non-empty error field, and accepts charset parameters', () => {
    const e = errorFromResponse(400, 'application/json; charset=utf-8', json('{"message":"x","error":"key does already exist"}'));
    expect(e.code).toBe('KEY_EXISTS');
    expect(e.message).toBe('key does already exist');
    expect(isKeyExists(e)).toBe(true);
    const f = errorFromResponse(403, 'application/json', json('{"message":"prohibited by policy","error":""}'));
    expect(isNotAllowed(f)).toBe(true);
  });

  it('uses the raw body as message for other content types', () => {
    const e = errorFromResponse(404, 'text/plain; charset=utf-8', json('404 page not found\n'));
    expect(e.code).toBe('HTTP');
    expect(e.message).toBe('404 page not found\n');
    const d = errorFromResponse(400, undefined, json('decryption failed: ciphertext is not authentic'));
    expect(isDecryptFailed(d)).toBe(true);
  });

  it('truncates raw bodies at 1 MiB', () => {
    const e = errorFromResponse(500, 'text/plain', new Uint8Array(MAX_ERROR_BODY + 10).fill(0x61));
    expect(e.message.length).toBe(MAX_ERROR_BODY);
  });

  it('reports a malformed JSON error body as INVALID_RESPONSE with the status', () => {
    const e = errorFromResponse(502, 'application/json', json('{"message":'));
    expect(e.code).toBe('INVALID_RESPONSE');
    expect(e.status).toBe(502);
    const empty = errorFromResponse(500, 'application/json', json(''));
    expect(empty.code).toBe('INVALID_RESPONSE');
  });

  it('treats a JSON body without message fields as an empty message', () => {
    const e = errorFromResponse(500, 'application/json', json('[1,2]'));
    expect(e.code).toBe('HTTP');
    expect(e.message).toBe('');
  });

  it('never throws and always yields a KesClientError (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 599 }),
        fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-ndjson'),
        fc.uint8Array({ maxLength: 64 }),
        (status, type, body) => {
          const e = errorFromResponse(status, type, body);
          return isKesClientError(e) && e.status === status;
        },
      ),
    );
  });
});

describe('isKesClientError', () => {
  it('checks the class and optionally the code', () => {
    const e = new KesClientError('UNREACHABLE', 0, 'x');
    expect(isKesClientError(e)).toBe(true);
    expect(isKesClientError(e, 'UNREACHABLE')).toBe(true);
    expect(isKesClientError(e, 'TLS')).toBe(false);
    expect(isKesClientError(new Error('x'))).toBe(false);
    expect(isKeyExists(undefined)).toBe(false);
  });
});
