/**
 * `@kes/client` — a typed client for a KES-compatible server (spec `kes-protocol.md` §2, §7.1, §9;
 * `minio-client.md` §2.3–§2.4).
 *
 * ```ts
 * const env = clientConfigFromEnv(process.env);                  // §7.1 variables, CLI precedence and messages
 * const client = await KesClient.create({ ...env, insecure: true }); // or { endpoints, apiKey } / { certFile, keyFile, password, caFile }
 * await client.createKey('my-key');
 * const { plaintext, ciphertext } = await client.generateKey('my-key');
 * for await (const name of client.listKeys('my*')) console.log(name);
 * await client.close();
 * ```
 * Every method rejects with a {@link KesClientError} only; `isKeyExists(err)` & co. accept both legacy and current
 * server texts.
 */
export { KesClient } from './client.js';
export type { KesClientOptions } from './options.js';
export {
  KesClientError,
  KNOWN_SERVER_ERRORS,
  MAX_ERROR_BODY,
  errorCodeFor,
  errorFromResponse,
  isDecryptFailed,
  isKesClientError,
  isKeyExists,
  isKeyNotFound,
  isNotAllowed,
  type KesClientErrorCode,
} from './errors.js';
export { parseEndpoints, orderEndpoints, rankEndpoint, type EndpointRank } from './endpoints.js';
export { clientConfigFromEnv, DEFAULT_ENDPOINT, ENV_VARS, type EnvClientConfig, type EnvOverrides } from './env.js';
export { isEncryptedPrivateKeyPem, loadCredentials, type ClientCredentials, type CredentialSources } from './credentials.js';
export type { RetryOptions } from './transport.js';
export { parseMetrics, metricRequestCount, metricAverageLatencySeconds, metricToJSON } from './metrics.js';
export { statusToJSON, apiToJSON } from './go-json.js';
export type {
  ApiInfo,
  AuditEvent,
  BulkCiphertext,
  DataKey,
  ErrorEvent,
  IdentityInfo,
  KeyAlgorithm,
  KeyInfo,
  LatencyBucket,
  ListPage,
  Listing,
  LogStream,
  Metric,
  PolicyDocument,
  PolicyInfo,
  RequestOptions,
  SelfInfo,
  ServerStatus,
  ServerVersion,
} from './types.js';
