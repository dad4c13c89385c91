/**
 * The one error catalog of the project.
 *
 * Every error that can reach a client, a log or a backend boundary is a {@link KesError} with a stable `code`, the
 * HTTP `status` KES answers with, and KES's exact message (spec `kes-protocol.md` §2.5, with the §12 choices:
 * `key does already exist` and `prohibited by policy` are the legacy texts every Go client maps).
 * The HTTP layer maps a `KesError` to a response in one place; anything that is not a `KesError` is a bug and
 * becomes a 500.
 */
export class KesError extends Error {
  override readonly name = 'KesError';

  /**
   * @param code - stable machine-readable code; never changes once published.
   * @param status - the HTTP status KES answers with for this error.
   * @param message - the exact message KES sends in `{"message": …}`.
   */
  constructor(
    readonly code: KesErrorCode,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Every stable error code of the catalog. */
export type KesErrorCode =
  | 'METHOD_NOT_ALLOWED'
  | 'TLS_REQUIRED'
  | 'CLIENT_CERT_REQUIRED'
  | 'MULTIPLE_CLIENT_CERTS'
  | 'NOT_ALLOWED'
  | 'INVALID_KEY_NAME'
  | 'INVALID_POLICY_NAME'
  | 'INVALID_IDENTITY'
  | 'INVALID_PATTERN'
  | 'KEY_EXISTS'
  | 'KEY_NOT_FOUND'
  | 'POLICY_NOT_FOUND'
  | 'IDENTITY_NOT_FOUND'
  | 'INVALID_REQUEST_BODY'
  | 'INVALID_IMPORT_BODY'
  | 'UNSUPPORTED_ALGORITHM'
  | 'INVALID_KEY_SIZE'
  | 'NOT_AUTHENTIC'
  | 'HMAC_NOT_SUPPORTED'
  | 'TOO_MANY_CIPHERTEXTS'
  | 'CREATE_KEY_FAILED'
  | 'READ_KEY_FAILED'
  | 'DELETE_KEY_FAILED'
  | 'LIST_KEYS_FAILED'
  | 'KEYSTORE_NOT_REACHABLE'
  | 'KEYSTORE_UNAVAILABLE'
  | 'KEYSTORE_UNREACHABLE'
  | 'GENERATE_KEY_FAILED'
  | 'ENCRYPT_FAILED'
  | 'DECRYPT_FAILED'
  | 'VERSION_FAILED'
  | 'PROXY_NO_CLIENT_CERT'
  | 'PROXY_TOO_MANY_CLIENT_CERTS'
  | 'PROXY_INVALID_CLIENT_CERT'
  | 'PROXY_CERT_NOT_VERIFIED'
  | 'INVALID_STORED_KEY'
  | 'INVALID_CIPHERTEXT'
  | 'INVALID_BASE64'
  | 'INVALID_API_KEY'
  | 'INVALID_CERTIFICATE'
  | 'INVALID_KEY_CONFIG';

/**
 * Factories for every catalog error. Each returns a fresh {@link KesError}; none throws.
 * Messages are byte-exact KES texts; do not reword them.
 */
export const Errors = {
  // --- transport, routing, authentication (spec §1.2, §2.5, §3) ---
  methodNotAllowed: (got: string, expected: string) =>
    new KesError('METHOD_NOT_ALLOWED', 405, `received method '${got}' expected '${expected}'`),
  tlsRequired: () => new KesError('TLS_REQUIRED', 400, 'insecure connection: TLS is required'),
  clientCertRequired: () => new KesError('CLIENT_CERT_REQUIRED', 400, 'tls: client certificate is required'),
  multipleClientCerts: () =>
    new KesError('MULTIPLE_CLIENT_CERTS', 400, 'tls: received more than one client certificate'),
  /** 403 with the legacy text every Go client maps to ErrNotAllowed (spec §12). */
  notAllowed: () => new KesError('NOT_ALLOWED', 403, 'prohibited by policy'),

  // --- TLS proxy (spec §3.5) ---
  proxyNoClientCert: () => new KesError('PROXY_NO_CLIENT_CERT', 400, 'no client certificate is present'),
  proxyTooManyClientCerts: () =>
    new KesError('PROXY_TOO_MANY_CLIENT_CERTS', 400, 'too many client certificates are present'),
  proxyInvalidClientCert: () => new KesError('PROXY_INVALID_CLIENT_CERT', 400, 'invalid client certificate'),
  proxyCertNotVerified: () => new KesError('PROXY_CERT_NOT_VERIFIED', 403, ''),

  // --- argument validation (spec §2.2) ---
  invalidKeyName: (name: string) =>
    new KesError('INVALID_KEY_NAME', 400, `key name '${name}' is empty, too long or contains invalid characters`),
  invalidPolicyName: (name: string) =>
    new KesError('INVALID_POLICY_NAME', 400, `policy name '${name}' is empty, too long or contains invalid characters`),
  invalidIdentity: (identity: string) =>
    new KesError('INVALID_IDENTITY', 400, `identity '${identity}' is empty, too long or contains invalid characters`),
  invalidPattern: (pattern: string) =>
    new KesError('INVALID_PATTERN', 400, `listing pattern '${pattern}' is empty, too long or is invalid`),

  // --- lookups ---
  /** 400 with the legacy text every Go client maps to ErrKeyExists (spec §12). */
  keyExists: () => new KesError('KEY_EXISTS', 400, 'key does already exist'),
  keyNotFound: () => new KesError('KEY_NOT_FOUND', 404, 'key does not exist'),
  policyNotFound: () => new KesError('POLICY_NOT_FOUND', 404, 'policy does not exist'),
  identityNotFound: () => new KesError('IDENTITY_NOT_FOUND', 404, 'identity does not exist'),

  // --- request bodies ---
  invalidRequestBody: () => new KesError('INVALID_REQUEST_BODY', 400, 'invalid request body'),
  invalidImportBody: () => new KesError('INVALID_IMPORT_BODY', 400, 'invalid import key request body'),
  unsupportedAlgorithm: (cipher: string) =>
    new KesError('UNSUPPORTED_ALGORITHM', 406, `algorithm '${cipher}' is not supported`),
  invalidKeySize: (cipher: string) => new KesError('INVALID_KEY_SIZE', 406, `invalid key size for '${cipher}'`),
  tooManyCiphertexts: () => new KesError('TOO_MANY_CIPHERTEXTS', 400, 'too many ciphertexts'),

  // --- cryptography (spec §5) ---
  notAuthentic: () => new KesError('NOT_AUTHENTIC', 400, 'decryption failed: ciphertext is not authentic'),
  /** 501 instead of upstream's 409: MinIO tolerates 501 (spec §12). */
  hmacNotSupported: () => new KesError('HMAC_NOT_SUPPORTED', 501, 'key does not support HMAC'),
  generateKeyFailed: (cause?: unknown) =>
    new KesError('GENERATE_KEY_FAILED', 500, 'failed to generate encryption key', { cause }),
  encryptFailed: (cause?: unknown) => new KesError('ENCRYPT_FAILED', 500, 'failed to encrypt plaintext', { cause }),
  decryptFailed: (cause?: unknown) => new KesError('DECRYPT_FAILED', 500, 'failed to decrypt ciphertext', { cause }),
  versionFailed: () => new KesError('VERSION_FAILED', 500, 'failed to read server version'),

  // --- keystore failures as the API reports them (spec §2.5) ---
  createKeyFailed: (cause?: unknown) => new KesError('CREATE_KEY_FAILED', 502, 'failed to create key', { cause }),
  readKeyFailed: (cause?: unknown) => new KesError('READ_KEY_FAILED', 502, 'failed to read key', { cause }),
  deleteKeyFailed: (cause?: unknown) => new KesError('DELETE_KEY_FAILED', 502, 'failed to delete key', { cause }),
  listKeysFailed: (cause?: unknown) => new KesError('LIST_KEYS_FAILED', 502, 'failed to list keys', { cause }),
  keystoreNotReachable: (cause?: unknown) =>
    new KesError('KEYSTORE_NOT_REACHABLE', 504, 'key store is not reachable', { cause }),
  keystoreUnavailable: (cause?: unknown) =>
    new KesError('KEYSTORE_UNAVAILABLE', 502, 'key store is unavailable', { cause }),

  // --- raised by backends and decoders (never sent verbatim to a client unless noted) ---
  /**
   * The keystore cannot be reached (network down, sealed, timed out). Backends throw this so that readiness
   * answers 504 and the cache goes offline. Message as KES: `kes: keystore unreachable: <detail>`.
   */
  keystoreUnreachable: (detail: string, cause?: unknown) =>
    new KesError('KEYSTORE_UNREACHABLE', 502, `kes: keystore unreachable: ${detail}`, { cause }),
  invalidStoredKey: (detail: string) => new KesError('INVALID_STORED_KEY', 502, `kes: invalid stored key: ${detail}`),
  invalidCiphertext: (detail: string) => new KesError('INVALID_CIPHERTEXT', 400, `kes: invalid ciphertext: ${detail}`),
  invalidBase64: () => new KesError('INVALID_BASE64', 400, 'illegal base64 data'),
  invalidApiKey: (detail: 'invalid length' | 'unsupported type' | 'invalid encoding') =>
    new KesError('INVALID_API_KEY', 400, `kes: invalid API key: ${detail}`),
  invalidCertificate: (detail: string) =>
    new KesError('INVALID_CERTIFICATE', 400, `kes: invalid certificate: ${detail}`),
  /** Raised by a backend that cannot store a key under `name` (e.g. fs: `fs: key name contains invalid character`). */
  invalidKeyConfig: (message: string) => new KesError('INVALID_KEY_CONFIG', 400, message),
} as const;

/** True iff `err` is a {@link KesError} (optionally: with the given code). Never throws. */
export function isKesError(err: unknown, code?: KesErrorCode): err is KesError {
  return err instanceof KesError && (code === undefined || err.code === code);
}
