/**
 * Options of the client.
 */
import type { CredentialSources } from './credentials.js';
import type { RetryOptions } from './transport.js';

/**
 * Options of `KesClient.create`: the endpoints, exactly one of `apiKey` or a certificate + private key (files
 * or PEM contents; an encrypted key needs `password`), optional CA certificates (files, directories or contents;
 * they replace the system roots) or `insecure`.
 */
export interface KesClientOptions extends CredentialSources {
  /** One or more endpoints; strings may be comma-separated (see `parseEndpoints`). */
  endpoints: string | readonly string[];
  /** Skip verification of the server certificate (`-k/--insecure`). */
  insecure?: boolean;
  /** Default time budget of a call in ms, across retries and failover; 0 = none. Default 15 000. Log streams: none. */
  timeoutMs?: number;
  /** Time allowed to connect (TCP + TLS) before the attempt counts as a network error. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Retry/failover tuning (defaults are the Go SDK's). */
  retry?: RetryOptions;
}
