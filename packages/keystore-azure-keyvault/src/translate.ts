import { Errors, isKesError, type KesError } from '@kes/core';
import { AttemptTimeoutError, BudgetExhaustedError, classify, type FailureKind } from './classify.js';
import { safeString } from './safe-string.js';
import { isVaultHttpError } from './vault-http-error.js';

/** The keystore operations, for messages and error mapping. */
export type KeystoreOperation = 'create' | 'get' | 'delete' | 'list' | 'status';

/** The secret permissions of a Key Vault access policy that KES needs (upstream setup guide: Get, List, Set, Delete, Purge). */
export type SecretPermission = 'get' | 'list' | 'set' | 'delete' | 'purge' | 'recover';

/** The RBAC data action Key Vault checks for each permission. */
export const RBAC_DATA_ACTIONS: Readonly<Record<SecretPermission, string>> = {
  get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
  delete: 'Microsoft.KeyVault/vaults/secrets/delete',
  purge: 'Microsoft.KeyVault/vaults/deletedSecrets/delete',
  recover: 'Microsoft.KeyVault/vaults/deletedSecrets/recover/action',
};

/**
 * The permission a Key Vault request needs, from its method and path: `GET /secrets` and `GET /secrets/x/versions`
 * → list, `GET /secrets/x[/v]` and `GET /deletedsecrets/x` → get, `PUT` → set, `DELETE /secrets/x` → delete,
 * `DELETE /deletedsecrets/x` → purge, `POST …/recover` → recover. Never throws.
 */
export function permissionOf(method: string, url: string): SecretPermission | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const seg = path.split('/').filter((s) => s !== '');
  const [root, , third] = seg;
  const m = method.toUpperCase();
  if (root === 'secrets') {
    if (m === 'GET') return seg.length === 1 || third === 'versions' ? 'list' : 'get';
    if (m === 'PUT' || m === 'PATCH') return 'set';
    if (m === 'DELETE') return 'delete';
  }
  if (root === 'deletedsecrets') {
    if (m === 'GET') return seg.length === 1 ? 'list' : 'get';
    if (m === 'DELETE') return 'purge';
    if (m === 'POST' && third === 'recover') return 'recover';
  }
  return undefined;
}

const FAILED: Record<Exclude<KeystoreOperation, 'status'>, { verb: string; error: (cause: unknown) => KesError }> = {
  create: { verb: 'create', error: Errors.createKeyFailed },
  get: { verb: 'read', error: Errors.readKeyFailed },
  delete: { verb: 'delete', error: Errors.deleteKeyFailed },
  list: { verb: 'list', error: Errors.listKeysFailed },
};

/**
 * Translates an error of an operation into the catalog, at the keystore boundary:
 * - a `KesError` passes unchanged;
 * - connection failures and timeouts → `KEYSTORE_UNREACHABLE` (`kes: keystore unreachable: azure: …`);
 * - 404 on `get` and `delete` → `KEY_NOT_FOUND`;
 * - everything else → the operation's failure (`CREATE_KEY_FAILED`, `READ_KEY_FAILED`, `DELETE_KEY_FAILED`,
 *   `LIST_KEYS_FAILED`; for `status`: `KEYSTORE_UNAVAILABLE`) whose `cause` is an `Error` saying
 *   `azure: failed to <verb> '<name>': <what happened and how to fix it>` (see {@link explainFailure}), with the
 *   SDK error as its cause. A missing permission is named (`get`, `list`, `set`, `delete`, `purge`).
 *
 * @param name - the key name ('' for list and status).
 * @returns a KesError. Never throws.
 */
export function translateError(op: KeystoreOperation, name: string, err: unknown): KesError {
  if (isKesError(err)) return err;
  const kind = classify(err);
  const cause = chainable(err);
  if (kind === 'network') return Errors.keystoreUnreachable(`azure: ${explainFailure(err, kind)}`, cause);
  if (kind === 'not-found' && (op === 'get' || op === 'delete')) return Errors.keyNotFound();
  if (op === 'status') return Errors.keystoreUnavailable(new Error(`azure: vault probe failed: ${explainFailure(err, kind)}`, { cause }));
  return operationFailed(op, name, explainFailure(err, kind), cause);
}

/**
 * The SDK error to keep as `cause`, or `undefined` for one whose message quotes the response body (`PARSE_ERROR`):
 * the server logs the whole cause chain, and the body of a secret read is the secret — key material.
 */
function chainable(err: unknown): unknown {
  return (err as { code?: unknown } | undefined)?.code === 'PARSE_ERROR' ? undefined : err;
}

/** The operation's failure error with `azure: failed to <verb> '<name>': <detail>` as its cause. Never throws. */
export function operationFailed(op: Exclude<KeystoreOperation, 'status'>, name: string, detail: string, cause?: unknown): KesError {
  const failed = FAILED[op];
  const subject = op === 'list' ? 'list keys' : `${failed.verb} '${name}'`;
  return failed.error(new Error(`azure: failed to ${subject}: ${detail}`, cause === undefined ? undefined : { cause }));
}

/**
 * One sentence on what went wrong and how to fix it, naming the missing permission or RBAC data action when the
 * vault refused one. Never includes secret values or tokens. Never throws.
 */
export function explainFailure(err: unknown, kind: FailureKind = classify(err)): string {
  if (err instanceof AttemptTimeoutError) return `the vault did not answer within ${err.timeoutMs} ms`;
  if (err instanceof BudgetExhaustedError) return err.message;
  if (!isVaultHttpError(err)) return describeError(err, kind);
  const permission = permissionOf(err.method, err.url);
  const said = `${err.message} (HTTP ${err.statusCode} ${err.code}${err.innerCode ? `/${err.innerCode}` : ''})`;
  switch (kind) {
    case 'forbidden-policy':
      return (
        `missing permission: the vault's access policy does not grant this identity the secret permission ` +
        `'${permission ?? 'unknown'}' (grant the secret permissions Get, List, Set, Delete and Purge): ${said}`
      );
    case 'forbidden-rbac':
      return (
        `missing permission: no role assignment allows '${permission ?? 'unknown'}'` +
        `${permission ? ` (${RBAC_DATA_ACTIONS[permission]})` : ''} on the vault ` +
        `(assign this identity a role that allows it, such as 'Key Vault Secrets Officer'): ${said}`
      );
    case 'forbidden-firewall':
      return `the vault's firewall does not admit this server (allow its address in the vault's networking settings): ${said}`;
    case 'disabled':
      return `the secret is disabled in the vault (enable it again in the vault): ${said}`;
    case 'throttled':
      return `Key Vault kept throttling the requests (HTTP 429) beyond what the call's time budget allows; retry later: ${said}`;
    case 'unauthorized':
      return `the vault refused the credential: ${said}`;
    default:
      return said;
  }
}

function describeError(err: unknown, kind: FailureKind): string {
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  // The SDK's PARSE_ERROR message quotes the whole response body — for a secret read, the secret (key material).
  if (e?.code === 'PARSE_ERROR') return `the vault's answer could not be read as JSON (cut off or malformed)${code}`;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : safeString(err, 'unknown error');
  if (kind === 'unauthorized') return `could not get a token for the vault: ${firstLine(message)}${code}`;
  if (kind === 'tls') return `TLS with the vault failed: ${message}${code} (set ca_file to the CA that issued the vault's certificate)`;
  return `${message}${code}`;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
