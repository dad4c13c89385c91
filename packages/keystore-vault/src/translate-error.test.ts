import { Errors, isKesError } from '@kes/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translateVaultError, unreachableError } from './translate-error.js';
import { errorStrings, toVaultRequestError, VaultRequestError } from './vault-request-error.js';

/** node-vault's ApiResponseError shape. */
const apiError = (statusCode: number, body: unknown) => Object.assign(new Error('x'), { response: { statusCode, body } });
/** axios' network error shape. */
const axiosError = (code: string, message: string) => Object.assign(new Error(message), { code, isAxiosError: true });

describe('toVaultRequestError', () => {
  it('keeps status, errors and body of an HTTP answer and puts them into one line', () => {
    const e = toVaultRequestError('GET kv/x', apiError(403, { errors: ['1 error occurred:\n\t* permission denied\n\n'] }));
    expect(e).toMatchObject({ status: 403, errors: ['1 error occurred:\n\t* permission denied\n\n'], code: undefined, isNetwork: false });
    expect(e.message).toBe('vault: GET kv/x: 1 error occurred: permission denied (HTTP 403)');
    expect(toVaultRequestError('GET kv/x', apiError(404, { errors: [] })).message).toBe('vault: GET kv/x: HTTP 404');
  });

  it('recognises the check-and-set conflict by its text', () => {
    expect(toVaultRequestError('POST kv/data/x', apiError(400, { errors: ['check-and-set parameter did not match the current version'] })).isCasConflict).toBe(true);
    expect(toVaultRequestError('POST kv/data/x', apiError(400, { errors: ['no data provided'] })).isCasConflict).toBe(false);
  });

  it('turns an error without an answer into a network error with its code', () => {
    const e = toVaultRequestError('GET kv/x', axiosError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'));
    expect(e).toMatchObject({ status: undefined, code: 'ECONNREFUSED', isNetwork: true });
    expect(e.message).toBe('vault: GET kv/x: connect ECONNREFUSED 127.0.0.1:1');
    expect(toVaultRequestError('GET x', Object.assign(new Error('boom'), { isAxiosError: true })).code).toBe('ERR_NETWORK');
  });

  it('never throws, whatever was thrown (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (thrown) => {
        const e = toVaultRequestError('GET x', thrown);
        return e instanceof VaultRequestError && e.message.startsWith('vault: GET x: ');
      }),
    );
    fc.assert(fc.property(fc.anything(), (body) => Array.isArray(errorStrings(body))));
  });
});

describe('translateVaultError', () => {
  const req = (status: number | undefined, errors: string[] = [], code?: string) =>
    new VaultRequestError('GET kv/x', status, errors, code, undefined, `vault: GET kv/x: ${errors.join('; ') || code}`);

  it('no answer, 503 sealed and 502/504 are KEYSTORE_UNREACHABLE', () => {
    expect(translateVaultError('get', req(undefined, [], 'ECONNRESET'))).toMatchObject({ code: 'KEYSTORE_UNREACHABLE', message: 'kes: keystore unreachable: vault: GET kv/x: ECONNRESET' });
    expect(translateVaultError('create', req(503, ['Vault is sealed'])).message).toBe('kes: keystore unreachable: vault: key store is sealed');
    for (const status of [502, 503, 504]) expect(translateVaultError('list', req(status)).code).toBe('KEYSTORE_UNREACHABLE');
  });

  it('other answers are the operation failing, with the Vault error as cause', () => {
    const cases = [
      ['create', 'CREATE_KEY_FAILED'],
      ['get', 'READ_KEY_FAILED'],
      ['delete', 'DELETE_KEY_FAILED'],
      ['list', 'LIST_KEYS_FAILED'],
    ] as const;
    for (const [op, code] of cases) {
      for (const status of [400, 403, 404, 405, 429, 500]) {
        const original = req(status, ['x']);
        const translated = translateVaultError(op, original);
        expect(translated.code).toBe(code);
        expect(translated.cause).toBe(original);
      }
    }
    expect(translateVaultError('get', new Error('malformed answer')).code).toBe('READ_KEY_FAILED');
  });

  it('passes catalog errors through unchanged', () => {
    const exists = Errors.keyExists();
    expect(translateVaultError('create', exists)).toBe(exists);
    expect(unreachableError(exists)).toBeUndefined();
  });

  it('always returns a KesError (property)', () => {
    const op = fc.constantFrom('create', 'get', 'delete', 'list') as fc.Arbitrary<'create' | 'get' | 'delete' | 'list'>;
    const thrown = fc.oneof(fc.anything(), fc.record({ status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }), errors: fc.array(fc.string()), code: fc.option(fc.string(), { nil: undefined }) }).map((r) => new VaultRequestError('GET x', r.status, r.errors, r.code, undefined, 'm')));
    fc.assert(fc.property(op, thrown, (o, t) => isKesError(translateVaultError(o, t))));
  });
});
