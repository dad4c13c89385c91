import { isKesError } from '@kes/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptTimeoutError, classify } from './classify.js';
import { permissionOf, translateError } from './translate.js';
import { VaultHttpError } from './vault-http-error.js';

const V = 'https://v.vault.azure.net';
const vaultError = (status: number, method: string, path: string, code: string, inner?: string, message = 'm') =>
  new VaultHttpError(status, method, `${V}${path}`, JSON.stringify({ error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } }), undefined);

describe('permissionOf', () => {
  it.each([
    ['GET', '/secrets', 'list'],
    ['GET', '/secrets/k/versions', 'list'],
    ['GET', '/secrets/k/', 'get'],
    ['GET', '/secrets/k/0123abcd', 'get'],
    ['PUT', '/secrets/k', 'set'],
    ['DELETE', '/secrets/k', 'delete'],
    ['DELETE', '/deletedsecrets/k', 'purge'],
    ['GET', '/deletedsecrets/k', 'get'],
    ['POST', '/deletedsecrets/k/recover', 'recover'],
  ])('%s %s needs %s', (method, path, permission) => {
    expect(permissionOf(method, `${V}${path}`)).toBe(permission);
  });
});

describe('classify', () => {
  it.each([
    [vaultError(404, 'GET', '/secrets/k/', 'SecretNotFound'), 'not-found'],
    [vaultError(409, 'PUT', '/secrets/k', 'Conflict', 'ObjectIsDeletedButRecoverable'), 'deleted-recoverable'],
    [vaultError(409, 'PUT', '/secrets/k', 'Conflict', 'ObjectIsBeingDeleted'), 'being-deleted'],
    [vaultError(403, 'GET', '/secrets/k/', 'Forbidden', 'SecretDisabled'), 'disabled'],
    [vaultError(403, 'GET', '/secrets/k/', 'Forbidden', 'ForbiddenByPolicy'), 'forbidden-policy'],
    [vaultError(403, 'GET', '/secrets/k/', 'Forbidden', 'ForbiddenByRbac'), 'forbidden-rbac'],
    [vaultError(403, 'GET', '/secrets/k/', 'Forbidden', 'ForbiddenByFirewall'), 'forbidden-firewall'],
    [vaultError(403, 'DELETE', '/deletedsecrets/k', 'Forbidden', undefined, 'Operation "purge" is not allowed because purge protection is enabled for this vault.'), 'purge-protected'],
    [vaultError(429, 'GET', '/secrets', 'Throttled'), 'throttled'],
    [vaultError(503, 'GET', '/secrets', 'ServiceUnavailable'), 'server'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'network'],
    [new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }), 'network'],
    [new AttemptTimeoutError(100), 'network'],
    [Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 'tls'],
    [Object.assign(new Error('AADSTS7000215: Invalid client secret'), { name: 'AuthenticationError' }), 'unauthorized'],
  ] as const)('%s → %s', (err, kind) => {
    expect(classify(err)).toBe(kind);
  });
});

describe('translateError', () => {
  it('maps not-found to KEY_NOT_FOUND for get and delete only', () => {
    const nf = vaultError(404, 'GET', '/secrets/k/', 'SecretNotFound');
    expect(translateError('get', 'k', nf).code).toBe('KEY_NOT_FOUND');
    expect(translateError('delete', 'k', nf).code).toBe('KEY_NOT_FOUND');
    expect(translateError('create', 'k', nf).code).toBe('CREATE_KEY_FAILED');
  });

  it('maps connection failures and timeouts to KEYSTORE_UNREACHABLE for every operation', () => {
    for (const op of ['create', 'get', 'delete', 'list', 'status'] as const) {
      const e = translateError(op, 'k', new AttemptTimeoutError(5000));
      expect(e.code).toBe('KEYSTORE_UNREACHABLE');
      expect(e.message).toBe('kes: keystore unreachable: azure: the vault did not answer within 5000 ms');
    }
  });

  it.each([
    ['get', 'GET', '/secrets/k/v', 'READ_KEY_FAILED', "azure: failed to read 'k': missing permission: the vault's access policy does not grant this identity the secret permission 'get'"],
    ['get', 'GET', '/secrets/k/versions', 'READ_KEY_FAILED', "secret permission 'list'"],
    ['list', 'GET', '/secrets', 'LIST_KEYS_FAILED', "azure: failed to list keys: missing permission: the vault's access policy does not grant this identity the secret permission 'list'"],
    ['create', 'PUT', '/secrets/k', 'CREATE_KEY_FAILED', "azure: failed to create 'k': missing permission: the vault's access policy does not grant this identity the secret permission 'set'"],
    ['delete', 'DELETE', '/secrets/k', 'DELETE_KEY_FAILED', "secret permission 'delete'"],
    ['delete', 'DELETE', '/deletedsecrets/k', 'DELETE_KEY_FAILED', "secret permission 'purge'"],
  ] as const)('a ForbiddenByPolicy on %s (%s %s) names the permission', (op, method, path, code, text) => {
    const e = translateError(op, 'k', vaultError(403, method, path, 'Forbidden', 'ForbiddenByPolicy', 'does not have secrets x permission'));
    expect(e.code).toBe(code);
    expect((e.cause as Error).message).toContain(text);
  });

  it('names the RBAC data action and the role for ForbiddenByRbac', () => {
    const e = translateError('create', 'k', vaultError(403, 'PUT', '/secrets/k', 'Forbidden', 'ForbiddenByRbac'));
    expect((e.cause as Error).message).toContain("no role assignment allows 'set' (Microsoft.KeyVault/vaults/secrets/setSecret/action)");
    expect((e.cause as Error).message).toContain('Key Vault Secrets Officer');
  });

  it('status failures other than unreachable are KEYSTORE_UNAVAILABLE', () => {
    const e = translateError('status', '', vaultError(403, 'GET', '/secrets/kes-status-probe/', 'Forbidden', 'ForbiddenByPolicy'));
    expect(e.code).toBe('KEYSTORE_UNAVAILABLE');
    expect((e.cause as Error).message).toContain("secret permission 'get'");
  });

  it('always returns a KesError and never throws (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('create', 'get', 'delete', 'list', 'status' as const), fc.anything(), (op, err) => {
        expect(isKesError(translateError(op, 'k', err))).toBe(true);
      }),
    );
  });
});
