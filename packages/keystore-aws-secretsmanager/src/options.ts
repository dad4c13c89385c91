import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsStaticCredentials } from './config.js';

/** Bounded retries of a create that AWS refuses because the name is still being deleted (spec aws-vault.md §2.6). */
export interface PendingDeletionRetry {
  /** Retries after the first refusal. @default 6 */
  readonly retries?: number;
  /** First delay, doubled per retry (±20 % jitter). @default 250 */
  readonly initialDelayMs?: number;
  /** Largest delay. @default 2000 */
  readonly maxDelayMs?: number;
}

/** Options of an {@link AwsSecretsManagerKeystore}. */
export interface AwsSecretsManagerKeystoreOptions {
  /** Endpoint URL with scheme (turn KES config text into one with `normalizeEndpoint`). */
  readonly endpoint: string;
  readonly region: string;
  /** KMS key for new secrets (`CreateSecret.KmsKeyId`); absent → AWS's default `aws/secretsmanager`. */
  readonly kmsKey?: string;
  /** Static credentials; absent → the SDK's default credential chain. */
  readonly credentials?: AwsStaticCredentials;
  /**
   * Prepended to every secret name, and only secrets that carry it are listed (the prefix is stripped). Not a KES
   * config field: for isolating test runs or several servers in one account. @default ''
   */
  readonly namePrefix?: string;
  /** Deadline of one keystore call, all SDK attempts and pending-deletion retries included. @default 10000 */
  readonly operationTimeoutMs?: number;
  /** Deadline of one status probe. @default 5000 */
  readonly statusTimeoutMs?: number;
  /** SDK attempts per call (first try included). @default 3 */
  readonly maxAttempts?: number;
  /** Connect timeout of one attempt. @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Timeout of one attempt once connected. @default 3000 */
  readonly requestTimeoutMs?: number;
  /** Create retries while the name is still scheduled for deletion. */
  readonly pendingDeletion?: PendingDeletionRetry;
  /** A ready SDK client to use instead of building one (tests); the keystore destroys it on close. */
  readonly client?: SecretsManagerClient;
}

/** {@link AwsSecretsManagerKeystoreOptions} with every default filled in. */
export interface ResolvedOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly kmsKey: string | undefined;
  readonly namePrefix: string;
  readonly operationTimeoutMs: number;
  readonly statusTimeoutMs: number;
  readonly maxAttempts: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly pendingDeletion: Required<PendingDeletionRetry>;
}

const positive = (value: number | undefined, fallback: number, what: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`aws: ${what} must be a finite number >= 0`);
  return value;
};

/**
 * Fills in the defaults.
 * @throws RangeError for negative or non-finite numbers, or `maxAttempts` < 1.
 */
export function resolveOptions(options: AwsSecretsManagerKeystoreOptions): ResolvedOptions {
  const maxAttempts = positive(options.maxAttempts, 3, 'maxAttempts');
  if (maxAttempts < 1 || !Number.isInteger(maxAttempts)) throw new RangeError('aws: maxAttempts must be an integer >= 1');
  return {
    endpoint: options.endpoint,
    region: options.region,
    kmsKey: options.kmsKey === '' ? undefined : options.kmsKey,
    namePrefix: options.namePrefix ?? '',
    operationTimeoutMs: positive(options.operationTimeoutMs, 10_000, 'operationTimeoutMs'),
    statusTimeoutMs: positive(options.statusTimeoutMs, 5_000, 'statusTimeoutMs'),
    maxAttempts,
    connectTimeoutMs: positive(options.connectTimeoutMs, 2_000, 'connectTimeoutMs'),
    requestTimeoutMs: positive(options.requestTimeoutMs, 3_000, 'requestTimeoutMs'),
    pendingDeletion: {
      retries: Math.floor(positive(options.pendingDeletion?.retries, 6, 'pendingDeletion.retries')),
      initialDelayMs: positive(options.pendingDeletion?.initialDelayMs, 250, 'pendingDeletion.initialDelayMs'),
      maxDelayMs: positive(options.pendingDeletion?.maxDelayMs, 2_000, 'pendingDeletion.maxDelayMs'),
    },
  };
}
