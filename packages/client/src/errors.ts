/**
 * The client's one error type and the mapping of server answers to it (spec `kes-protocol.md` §1.3, §2.5;
 * `minio-client.md` §2.4). Server errors are matched on (status, message) like the Go SDK, with the legacy texts
 * `400 key does already exist` and `403 prohibited by policy` mapped to the same codes as the current texts.
 */

/**
 * Stable codes of {@link KesClientError}.
 * - Server errors the Go SDK names (both legacy and current texts map to the same code), plus `HMAC_NOT_SUPPORTED`.
 * - `HTTP`: any other non-200 answer (status and message as sent).
 * - Client-side (status 0): `UNREACHABLE` (connection refused/reset, DNS, connect timeout, …), `CERT_UNTRUSTED` (the
 *   server certificate is not trusted: use a CA file or `insecure`), `TLS` (any other handshake failure, e.g. the
 *   server rejected our certificate), `TIMEOUT` (the request's time budget ran out), `ABORTED` (the caller's
 *   AbortSignal), `INVALID_RESPONSE` (a malformed or oversized answer), `CONFIG` (bad client configuration),
 *   `CREDENTIALS` (unreadable or invalid certificate, private key, CA or API key), `PASSWORD_REQUIRED` /
 *   `WRONG_PASSWORD` (encrypted private key).
 */
export type KesClientErrorCode =
  | 'KEY_EXISTS'
  | 'NOT_ALLOWED'
  | 'KEY_NOT_FOUND'
  | 'POLICY_NOT_FOUND'
  | 'POLICY_EXISTS'
  | 'IDENTITY_NOT_FOUND'
  | 'IDENTITY_EXISTS'
  | 'DECRYPT'
  | 'PARTIAL_WRITE'
  | 'SECRET_NOT_FOUND'
  | 'SECRET_VERSION_NOT_FOUND'
  | 'SECRET_EXISTS'
  | 'ENCLAVE_EXISTS'
  | 'ENCLAVE_NOT_FOUND'
  | 'HMAC_NOT_SUPPORTED'
  | 'HTTP'
  | 'UNREACHABLE'
  | 'CERT_UNTRUSTED'
  | 'TLS'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'INVALID_RESPONSE'
  | 'CONFIG'
  | 'CREDENTIALS'
  | 'PASSWORD_REQUIRED'
  | 'WRONG_PASSWORD';

/**
 * Every error the client throws or rejects with. `status` is the HTTP status for server answers and 0 for
 * client-side failures; `message` is the server's message verbatim for server answers and a one-line explanation
 * (saying what to do) otherwise; `endpoint` names the endpoint involved, if any.
 */
export class KesClientError extends Error {
  override readonly name = 'KesClientError';
  readonly endpoint: string | undefined;

  constructor(
    readonly code: KesClientErrorCode,
    readonly status: number,
    message: string,
    options: { endpoint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.endpoint = options.endpoint;
  }
}

/** A server error the client knows by (status, message): the current text first, then accepted legacy texts. */
interface KnownError {
  readonly code: KesClientErrorCode;
  readonly status: number;
  readonly messages: readonly string[];
}

/**
 * The server errors the Go SDK defines (`kms-go kes/error.go`) plus the HMAC one of §12, each with every text
 * that maps to it. The first message is the one current upstream servers send.
 */
export const KNOWN_SERVER_ERRORS: readonly KnownError[] = [
  { code: 'NOT_ALLOWED', status: 403, messages: ['not authorized: insufficient permissions', 'prohibited by policy'] },
  { code: 'PARTIAL_WRITE', status: 503, messages: ['change committed but not replicated'] },
  { code: 'KEY_NOT_FOUND', status: 404, messages: ['key does not exist'] },
  { code: 'KEY_EXISTS', status: 400, messages: ['key already exists', 'key does already exist'] },
  { code: 'SECRET_NOT_FOUND', status: 404, messages: ['secret does not exist'] },
  { code: 'SECRET_VERSION_NOT_FOUND', status: 404, messages: ['secret version does not exist'] },
  { code: 'SECRET_EXISTS', status: 404, messages: ['secret already exists'] },
  { code: 'POLICY_EXISTS', status: 400, messages: ['policy already exists'] },
  { code: 'POLICY_NOT_FOUND', status: 404, messages: ['policy does not exist'] },
  { code: 'IDENTITY_EXISTS', status: 400, messages: ['identity already exists'] },
  { code: 'IDENTITY_NOT_FOUND', status: 404, messages: ['identity does not exist'] },
  { code: 'DECRYPT', status: 400, messages: ['decryption failed: ciphertext is not authentic'] },
  { code: 'ENCLAVE_EXISTS', status: 400, messages: ['enclave already exists'] },
  { code: 'ENCLAVE_NOT_FOUND', status: 404, messages: ['enclave does not exist'] },
];

/**
 * Maps an HTTP error answer to a client error code: a known (status, message) pair (current or legacy text) to its
 * code; `key does not support HMAC` with 501 (this project) or 409 (upstream) to `HMAC_NOT_SUPPORTED`; anything else
 * to `HTTP`. Never throws.
 */
export function errorCodeFor(status: number, message: string): KesClientErrorCode {
  for (const known of KNOWN_SERVER_ERRORS) {
    if (known.status === status && known.messages.includes(message)) return known.code;
  }
  if ((status === 501 || status === 409) && message === 'key does not support HMAC') return 'HMAC_NOT_SUPPORTED';
  return 'HTTP';
}

/** Returns true iff `err` is a {@link KesClientError}, and has `code` if one is given. Never throws. */
export function isKesClientError(err: unknown, code?: KesClientErrorCode): err is KesClientError {
  return err instanceof KesClientError && (code === undefined || err.code === code);
}

/** True iff `err` means "key already exists" (`400 key already exists` or legacy `400 key does already exist`). */
export function isKeyExists(err: unknown): boolean {
  return isKesClientError(err, 'KEY_EXISTS');
}

/** True iff `err` is `404 key does not exist`. */
export function isKeyNotFound(err: unknown): boolean {
  return isKesClientError(err, 'KEY_NOT_FOUND');
}

/** True iff `err` means "not allowed" (`403 not authorized: insufficient permissions` or legacy `403 prohibited by policy`). */
export function isNotAllowed(err: unknown): boolean {
  return isKesClientError(err, 'NOT_ALLOWED');
}

/** True iff `err` is `400 decryption failed: ciphertext is not authentic`. */
export function isDecryptFailed(err: unknown): boolean {
  return isKesClientError(err, 'DECRYPT');
}

/** Largest error body read, like the Go SDK (1 MiB); longer bodies are truncated. */
export const MAX_ERROR_BODY = 1 << 20;

/**
 * Turns an error answer into a {@link KesClientError} like the Go SDK's `parseErrorResponse`: with a Content-Type
 * starting with `application/json` the message is the body's `error` field if non-empty, else its `message` field;
 * a JSON body that does not parse yields `INVALID_RESPONSE`; any other Content-Type makes the raw body (UTF-8, at
 * most {@link MAX_ERROR_BODY} bytes) the message. Never throws.
 */
export function errorFromResponse(
  status: number,
  contentType: string | undefined,
  body: Uint8Array,
  endpoint?: string,
): KesClientError {
  const bytes = body.byteLength > MAX_ERROR_BODY ? body.subarray(0, MAX_ERROR_BODY) : body;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if ((contentType ?? '').trim().startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return new KesClientError(
        'INVALID_RESPONSE',
        status,
        `server answered ${status} with a malformed JSON error body`,
        { endpoint },
      );
    }
    const obj = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    const error = typeof obj['error'] === 'string' ? obj['error'] : '';
    const message = error !== '' ? error : typeof obj['message'] === 'string' ? obj['message'] : '';
    return new KesClientError(errorCodeFor(status, message), status, message, { endpoint });
  }
  return new KesClientError(errorCodeFor(status, text), status, text, { endpoint });
}
