import { isVaultHttpError } from './vault-http-error.js';

/** What a failed call to Key Vault (or to the identity provider) means for the keystore. */
export type FailureKind =
  /** 404: the secret (or deleted secret, or version) does not exist. */
  | 'not-found'
  /** 409 `ObjectIsDeletedButRecoverable`: a soft-deleted secret holds the name. */
  | 'deleted-recoverable'
  /** 409 `ObjectIsBeingDeleted`: a delete or purge of the name is still in progress. */
  | 'being-deleted'
  /** 409 `ObjectIsBeingRecovered`: a recover of the name is still in progress. */
  | 'being-recovered'
  /** 403 `SecretDisabled`. */
  | 'disabled'
  /** 403 `ForbiddenByPolicy`: the access policy lacks a permission. */
  | 'forbidden-policy'
  /** 403 `ForbiddenByRbac`: no role assignment allows the data action. */
  | 'forbidden-rbac'
  /** 403 `ForbiddenByFirewall`. */
  | 'forbidden-firewall'
  /** 403 on a purge because the vault has purge protection. */
  | 'purge-protected'
  /** Any other 403 (e.g. a vault in read-only failover mode). */
  | 'forbidden'
  /** 429. */
  | 'throttled'
  /** 401 after the challenge, or the credential could not get a token. */
  | 'unauthorized'
  /** 408, 500, 502, 503, 504: worth retrying. */
  | 'server'
  /** The connection failed, was reset, or timed out. */
  | 'network'
  /** The vault's certificate was not trusted, or TLS failed otherwise. */
  | 'tls'
  /** Anything else (400, 405, 501, unexpected errors). */
  | 'other';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;
const CREDENTIAL_ERRORS = new Set(['AuthenticationError', 'AuthenticationRequiredError', 'CredentialUnavailableError', 'AggregateAuthenticationError']);

/** Thrown for an HTTP attempt that did not finish within its time limit. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'AttemptTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** Thrown instead of starting a request when the time budget of the keystore call is used up. */
export class BudgetExhaustedError extends Error {
  override readonly name = 'BudgetExhaustedError';
  constructor(readonly budgetMs: number) {
    super(`the call's time budget of ${budgetMs} ms is used up`);
  }
}

/**
 * Classifies an error of an SDK call: a {@link VaultHttpError} by status and (inner) code, an
 * {@link AttemptTimeoutError} and transport errors (also inside `cause` chains) as `network` or `tls`, credential
 * errors as `unauthorized`. Never throws.
 */
export function classify(err: unknown): FailureKind {
  if (isVaultHttpError(err)) {
    const inner = err.innerCode;
    switch (err.statusCode) {
      case 404:
        return 'not-found';
      case 409:
        if (inner === 'ObjectIsDeletedButRecoverable') return 'deleted-recoverable';
        if (inner === 'ObjectIsBeingDeleted') return 'being-deleted';
        if (inner === 'ObjectIsBeingRecovered') return 'being-recovered';
        return 'other';
      case 403:
        if (inner === 'SecretDisabled') return 'disabled';
        if (inner === 'ForbiddenByPolicy') return 'forbidden-policy';
        if (inner === 'ForbiddenByRbac') return 'forbidden-rbac';
        if (inner === 'ForbiddenByFirewall') return 'forbidden-firewall';
        if (/purge protection/i.test(err.message)) return 'purge-protected';
        return 'forbidden';
      case 429:
        return 'throttled';
      case 401:
        return 'unauthorized';
      case 408:
      case 500:
      case 502:
      case 503:
      case 504:
        return 'server';
      default:
        return 'other';
    }
  }
  if (err instanceof AttemptTimeoutError) return 'network';
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    const s = e as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
    if (typeof s.code === 'string') {
      if (NETWORK_CODES.has(s.code)) return 'network';
      if (TLS_CODE.test(s.code)) return 'tls';
    }
    if (typeof s.name === 'string' && CREDENTIAL_ERRORS.has(s.name)) return 'unauthorized';
    if (typeof s.message === 'string' && /socket hang up|connection (was )?(reset|refused)/i.test(s.message)) return 'network';
    e = s.cause;
  }
  return 'other';
}

