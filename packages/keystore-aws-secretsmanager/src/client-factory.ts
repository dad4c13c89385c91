import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsStaticCredentials } from './config.js';

/** Transport settings of the SDK client a keystore builds (see {@link createSecretsManagerClient}). */
export interface SecretsManagerClientSettings {
  /** Endpoint URL with scheme. */
  readonly endpoint: string;
  readonly region: string;
  /** Static credentials; absent → the SDK's default credential chain (env, shared files, SSO, web identity, ECS, IMDS). */
  readonly credentials?: AwsStaticCredentials;
  /** HTTP attempts per SDK call, first try included (standard retry mode). */
  readonly maxAttempts: number;
  /** TCP/TLS connect timeout of one attempt, ms. */
  readonly connectTimeoutMs: number;
  /** Timeout of one attempt once connected, ms (the SDK retries a timed-out attempt like a network error). */
  readonly requestTimeoutMs: number;
}

/**
 * Builds the `@aws-sdk/client-secrets-manager` client of a keystore: the given endpoint and region, static
 * credentials or the default chain, standard retries (`maxAttempts`, which retries 5xx, throttling and transport
 * errors with exponential backoff and re-sends the same idempotency token) and bounded connect/request timeouts on
 * the Node HTTP handler, so that even a black-holed endpoint fails well inside a 15 s route timeout.
 *
 * @returns a new client; the caller destroys it.
 */
export function createSecretsManagerClient(settings: SecretsManagerClientSettings): SecretsManagerClient {
  const { credentials } = settings;
  return new SecretsManagerClient({
    endpoint: settings.endpoint,
    region: settings.region,
    ...(credentials
      ? {
          credentials: {
            accessKeyId: credentials.accessKey,
            secretAccessKey: credentials.secretKey,
            ...(credentials.sessionToken !== undefined ? { sessionToken: credentials.sessionToken } : {}),
          },
        }
      : {}),
    maxAttempts: settings.maxAttempts,
    retryMode: 'standard',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: settings.connectTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
}
