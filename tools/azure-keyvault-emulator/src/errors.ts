/**
 * The Key Vault error catalog: every non-2xx answer of the secrets API is built here, with the status,
 * `error.code`, `innererror.code` and message of the real service (shared/spec/azure-keyvault.md §2.5,
 * plus real recordings where noted). Messages marked "emulator text" have no known real wording.
 */
import { MAX_SECRET_VALUE_LENGTH, LATEST_API_VERSION } from './constants.js';

/** JSON body of a Key Vault error (§2.4). */
export interface VaultErrorBody {
  error: { code: string; message: string; innererror?: { code: string } };
}

/** An error answer of the vault: thrown by the store and routes, rendered by the server. */
export class VaultError extends Error {
  /**
   * @param status HTTP status.
   * @param code `error.code`.
   * @param message `error.message` (real wording where known).
   * @param inner `error.innererror.code`, omitted from the body when undefined.
   * @param headers extra response headers (e.g. `Retry-After`).
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly inner?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'VaultError';
  }

  /** The JSON body: `{"error":{"code","message","innererror"?:{"code"}}}`. */
  toBody(): VaultErrorBody {
    const error: VaultErrorBody['error'] = { code: this.code, message: this.message };
    if (this.inner !== undefined) error.innererror = { code: this.inner };
    return { error };
  }
}

/** Type guard for {@link VaultError}. */
export function isVaultError(e: unknown): e is VaultError {
  return e instanceof VaultError;
}

const NOT_FOUND_HELP = 'For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182';
const POLICY_HELP = 'For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287';

/** The Key Vault error catalog. Each function returns a fresh {@link VaultError}. */
export const VaultErrors = {
  /** 401 for a request without a bearer token (the challenge; headers are added by the auth layer). */
  missingToken: () => new VaultError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
  /** 401 for a token whose audience is wrong. */
  invalidAudience: (found: string) =>
    new VaultError(401, 'Unauthorized', `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${found}.`),
  /** 401 for a token issued by another tenant (or forged issuer). */
  invalidIssuer: (expected: string, found: string) =>
    new VaultError(401, 'Unauthorized', `AKV10032: Invalid issuer. Expected one of ${expected}, found: ${found}.`),
  /** 401 for a malformed, unsigned, badly signed, expired or not-yet-valid token (emulator text). */
  invalidToken: (reason: string) => new VaultError(401, 'Unauthorized', `Token validation failed: ${reason}.`),
  /** 404 for a missing secret or version (GET/DELETE/PATCH on /secrets; POST recover, per a 2022 recording). */
  secretNotFound: (nameOrId: string) =>
    new VaultError(
      404,
      'SecretNotFound',
      `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. ${NOT_FOUND_HELP}`,
    ),
  /** 404 for GET/DELETE on /deletedsecrets/{name} when no deleted secret is visible. */
  deletedSecretNotFound: (name: string) => new VaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`),
  /** 409 for PUT on a soft-deleted name. */
  deletedButRecoverable: (name: string) =>
    new VaultError(
      409,
      'Conflict',
      `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
      'ObjectIsDeletedButRecoverable',
    ),
  /** 409 for PUT while a delete or purge is in progress. */
  beingDeleted: (name: string) =>
    new VaultError(
      409,
      'Conflict',
      `Secret ${name} is currently being deleted and cannot be re-created; retry later.`,
      'ObjectIsBeingDeleted',
    ),
  /** 409 for purge (or recover) while the soft delete is still in progress. */
  purgeWhileDeleting: () => new VaultError(409, 'Conflict', 'Secret is currently being deleted.', 'ObjectIsBeingDeleted'),
  /** 409 while a recovery is in progress (innererror code seen in the wild; emulator text). */
  beingRecovered: (name: string) =>
    new VaultError(409, 'Conflict', `Secret ${name} is currently being recovered; retry later.`, 'ObjectIsBeingRecovered'),
  /** 403 for GET of a disabled secret version. */
  secretDisabled: () => new VaultError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled'),
  /** 403 for an operation the caller's access policy does not grant. */
  forbiddenByPolicy: (caller: string, permission: string, vault: string, region: string) =>
    new VaultError(
      403,
      'Forbidden',
      `The user, group or application '${caller}' does not have secrets ${permission} permission on key vault '${vault};location=${region}'. ${POLICY_HELP}`,
      'ForbiddenByPolicy',
    ),
  /** 403 for an operation the caller has no RBAC role for. */
  forbiddenByRbac: (caller: string, action: string, resource: string, vault: string, region: string) =>
    new VaultError(
      403,
      'Forbidden',
      'Caller is not authorized to perform action on resource.\r\n' +
        'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n' +
        `Caller: ${caller}\r\nAction: '${action}'\r\nResource: '${resource}'\r\n` +
        `Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vault};location=${region}\r\n`,
      'ForbiddenByRbac',
    ),
  /** 403 when the vault firewall blocks the client address (message layout as seen in the wild). */
  forbiddenByFirewall: (address: string, caller: string, vault: string, region: string) =>
    new VaultError(
      403,
      'Forbidden',
      `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${address}\r\nCaller: ${caller}\r\nVault: ${vault};location=${region}`,
      'ForbiddenByFirewall',
    ),
  /** 403 for purge on a vault with purge protection (innererror not known; omitted). */
  purgeProtected: () =>
    new VaultError(
      403,
      'Forbidden',
      'Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.',
    ),
  /** 403 for a write while the vault is read-only (failover); emulator text, the real code is undocumented. */
  readOnly: (operation: string) =>
    new VaultError(403, 'Forbidden', `Operation ${operation} is not allowed while the vault is in read-only mode.`),
  /** 400 for a name outside `^[0-9a-zA-Z-]{1,127}$`. */
  invalidName: (name: string) => new VaultError(400, 'BadParameter', `The request URI contains an invalid name: ${name}`),
  /** 400 for an api-version the service does not know. */
  unknownApiVersion: (version: string) =>
    new VaultError(
      400,
      'BadParameter',
      `The specified version (${version}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`,
    ),
  /** 400 when `api-version` is absent (emulator text). */
  missingApiVersion: () => new VaultError(400, 'BadParameter', 'The api-version query parameter (?api-version=) is required for all requests.'),
  /** 400 for a body that is not valid JSON or has the wrong shape (real wording, seen in the wild). */
  badBody: () => new VaultError(400, 'BadParameter', 'Property  has invalid value\r\n'),
  /** 400 for a field that violates a documented limit (emulator text). */
  invalidProperty: (what: string) => new VaultError(400, 'BadParameter', `Property ${what} has invalid value\r\n`),
  /** 400 for a value over 25 600 characters. */
  secretTooLarge: () =>
    new VaultError(
      400,
      'BadParameter',
      `Secret is beyond the maximum permitted length of ${MAX_SECRET_VALUE_LENGTH} characters.`,
      'SecretTooLarge',
    ),
  /** 400 for a bad `maxresults` (emulator text). */
  invalidMaxResults: (raw: string) =>
    new VaultError(400, 'BadParameter', `Invalid maxresults value '${raw}': it must be an integer between 1 and 25.`),
  /** 400 for a `$skiptoken` the emulator did not issue (emulator text). */
  invalidSkipToken: () => new VaultError(400, 'BadParameter', 'The $skiptoken is not valid.'),
  /** 400 for a backup blob that cannot be read (real code and message, 2020 recording). */
  malformedBackup: () => new VaultError(400, 'Malformed backup blob', 'Backup blob contains invalid or corrupt version.'),
  /** 409 for restoring over an existing secret (emulator text). */
  restoreConflict: (name: string) =>
    new VaultError(409, 'Conflict', `Secret ${name} already exists in this vault; it cannot be restored over.`),
  /** 413 for a request body larger than the emulator reads (emulator text). */
  bodyTooLarge: () => new VaultError(413, 'RequestTooLarge', 'The request body is too large.'),
  /** 429 throttling answer (real body). */
  throttled: (retryAfterSeconds: number | undefined) =>
    new VaultError(
      429,
      'Throttled',
      'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
      undefined,
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
    ),
  /** 404 for a path that is not part of the secrets API (emulator text). */
  unknownPath: () => new VaultError(404, 'NotFound', 'The requested resource does not exist.'),
  /** 405 for a method a path does not support (emulator text). */
  methodNotAllowed: (method: string) =>
    new VaultError(405, 'MethodNotAllowed', `The requested method ${method} is not allowed for this resource.`),
  /** 500 for an emulator bug; the emulator keeps serving. */
  internal: () => new VaultError(500, 'InternalServerError', 'The emulator failed to process the request.'),
} as const;
