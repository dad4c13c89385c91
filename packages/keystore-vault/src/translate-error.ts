import { Errors, isKesError, type KesError } from '@kes/core';
import { VaultRequestError } from './vault-request-error.js';

/** The keystore operations whose failures have their own catalog error. */
export type VaultOperation = 'create' | 'get' | 'delete' | 'list';

/** The detail KES puts into the unreachable error when Vault is sealed. */
export const SEALED_DETAIL = 'vault: key store is sealed';

/**
 * The unreachable error for a failure that means "Vault cannot be used right now": no answer at all (connection
 * refused or reset, timeout, DNS, TLS), 503 (sealed or standby without an active node), or a 502/504 from a gateway.
 * @returns `KEYSTORE_UNREACHABLE`, or `undefined` when `err` is some other failure. Never throws.
 */
export function unreachableError(err: unknown): KesError | undefined {
  if (!(err instanceof VaultRequestError)) return undefined;
  if (err.isNetwork) return Errors.keystoreUnreachable(vaultDetail(err.message), err);
  if (err.status === 503) {
    const sealed = err.errors.some((e) => /sealed/i.test(e));
    return Errors.keystoreUnreachable(sealed ? SEALED_DETAIL : vaultDetail(err.message), err);
  }
  if (err.status === 502 || err.status === 504) return Errors.keystoreUnreachable(vaultDetail(err.message), err);
  return undefined;
}

/**
 * Translates any failure of `operation` into the KES error catalog at the backend boundary: a `KesError` stays as it
 * is, "Vault cannot be used right now" becomes `KEYSTORE_UNREACHABLE` ({@link unreachableError}), and everything
 * else (403 permission denied, 400, 404 "no handler for route", 5xx, an answer of the wrong shape) becomes the
 * operation's failure (`CREATE_KEY_FAILED`, `READ_KEY_FAILED`, `DELETE_KEY_FAILED`, `LIST_KEYS_FAILED`) with the
 * original error as `cause`, whose message says what Vault answered. Never throws.
 */
export function translateVaultError(operation: VaultOperation, err: unknown): KesError {
  if (isKesError(err)) return err;
  const unreachable = unreachableError(err);
  if (unreachable) return unreachable;
  switch (operation) {
    case 'create':
      return Errors.createKeyFailed(err);
    case 'get':
      return Errors.readKeyFailed(err);
    case 'delete':
      return Errors.deleteKeyFailed(err);
    case 'list':
      return Errors.listKeysFailed(err);
  }
}

/** `vault: GET kv/x: connect ECONNREFUSED` → the same text; the catalog adds `kes: keystore unreachable: `. */
function vaultDetail(message: string): string {
  return message.startsWith('vault: ') ? message : `vault: ${message}`;
}
