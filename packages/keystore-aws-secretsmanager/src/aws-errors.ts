import { Errors, isKesError, type KesError } from '@kes/core';

/** The keystore operation an AWS error happened in. */
export type AwsOperation = 'create' | 'get' | 'delete' | 'list';

/** Node/SDK error codes of transport failures (connection refused/reset, DNS, timeouts). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** TLS failures: the endpoint answered, but not with a certificate we trust. Reported as unreachable, like KES. */
const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|EPROTO$)/;

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
}

const shape = (err: unknown): SdkErrorShape => (typeof err === 'object' && err !== null ? (err as SdkErrorShape) : {});

/**
 * The AWS error code of an error the service answered with (its `name`, e.g. `ResourceNotFoundException`), or
 * `undefined` for anything else (transport failures also carry `$metadata`, but no `$fault` and no HTTP status).
 * Never throws.
 */
export function awsErrorCode(err: unknown): string | undefined {
  const s = shape(err);
  const answered = typeof s.$fault === 'string' && typeof s.$metadata?.httpStatusCode === 'number';
  return answered && typeof s.name === 'string' ? s.name : undefined;
}

/** How many HTTP attempts the SDK made for the failed call (1 when unknown). Never throws. */
export function sdkAttempts(err: unknown): number {
  const attempts = shape(err).$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}

/**
 * True iff AWS refused the call because the secret is scheduled for deletion or still being deleted
 * (`InvalidRequestException` "…scheduled for deletion" / "…marked for deletion" / "…was deleted"). Never throws.
 */
export function isPendingDeletion(err: unknown): boolean {
  const message = shape(err).message;
  return (
    awsErrorCode(err) === 'InvalidRequestException' &&
    typeof message === 'string' &&
    /(scheduled|marked) for deletion|was deleted/i.test(message)
  );
}

/** True iff `err` (or its cause chain) is a transport failure: refused, reset, DNS, TLS or timed out. Never throws. */
export function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const s = shape(e);
    if (s.name === 'TimeoutError') return true;
    if (typeof s.code === 'string' && (NETWORK_CODES.has(s.code) || TLS_CODES.test(s.code))) return true;
    e = s.cause;
  }
  return false;
}

/** One line describing an SDK error: `Code: message (HTTP status)`; never includes request data. Never throws. */
export function describeAwsError(err: unknown): string {
  const s = shape(err);
  const name = typeof s.name === 'string' ? s.name : 'Error';
  const code = typeof s.code === 'string' && s.code !== name ? ` ${s.code}` : '';
  const message = typeof s.message === 'string' && s.message !== '' ? `: ${s.message}` : '';
  const status = s.$metadata?.httpStatusCode;
  return `${name}${code}${message}${typeof status === 'number' ? ` (HTTP ${status})` : ''}`;
}

const FAILED: Record<AwsOperation, { verb: string; error: (cause: unknown) => KesError }> = {
  create: { verb: 'create', error: Errors.createKeyFailed },
  get: { verb: 'read', error: Errors.readKeyFailed },
  delete: { verb: 'delete', error: Errors.deleteKeyFailed },
  list: { verb: 'list', error: Errors.listKeysFailed },
};

/**
 * Translates an error of an AWS SDK call into the catalog (spec aws-vault.md §1.2, §5.3):
 * - a `KesError` passes through unchanged;
 * - `ResourceExistsException` on create → `KEY_EXISTS`;
 * - `ResourceNotFoundException` on get/delete, and on get a secret scheduled for (or in the middle of) deletion →
 *   `KEY_NOT_FOUND`;
 * - transport failures and timeouts → `KEYSTORE_UNREACHABLE` (`kes: keystore unreachable: aws: …`);
 * - everything else (auth, throttling after the SDK's retries, KMS `DecryptionFailure`, 5xx, …) → the operation's
 *   failure (`CREATE_KEY_FAILED`, `READ_KEY_FAILED`, `DELETE_KEY_FAILED`, `LIST_KEYS_FAILED`) whose `cause` is an
 *   `Error` saying `aws: failed to <op> '<name>': <Code>: <message>` with the SDK error as its cause.
 *
 * @param name - the key name as the caller gave it (for messages), `''` for list.
 * @returns a KesError. Never throws.
 */
export function translateAwsError(op: AwsOperation, name: string, err: unknown): KesError {
  if (isKesError(err)) return err;
  const code = awsErrorCode(err);
  if (op === 'create' && code === 'ResourceExistsException') return Errors.keyExists();
  if ((op === 'get' || op === 'delete') && code === 'ResourceNotFoundException') return Errors.keyNotFound();
  if (op === 'get' && isPendingDeletion(err)) return Errors.keyNotFound();
  if (code === undefined && isNetworkError(err)) return Errors.keystoreUnreachable(`aws: ${describeAwsError(err)}`, err);
  const failed = FAILED[op];
  const subject = op === 'list' ? 'list keys' : `${failed.verb} '${name}'`;
  const access = `${op === 'get' && code === 'DecryptionFailure' ? 'cannot access: ' : ''}${describeAwsError(err)}`;
  return failed.error(new Error(`aws: failed to ${subject}: ${access}`, { cause: err }));
}
