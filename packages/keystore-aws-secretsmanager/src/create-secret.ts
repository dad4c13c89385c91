import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CreateSecretCommand, GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Errors } from '@kes/core';
import { awsErrorCode, isPendingDeletion, sdkAttempts } from './aws-errors.js';
import { sleep, type DeadlineScope } from './deadline.js';
import type { PendingDeletionRetry } from './options.js';
import type { SecretValueInput } from './value-codec.js';

/** What {@link createSecret} needs. */
export interface CreateSecretRequest {
  readonly client: SecretsManagerClient;
  /** The secret name (key name with the keystore's prefix). */
  readonly secretName: string;
  /** The key name as the caller gave it (for messages). */
  readonly keyName: string;
  readonly value: SecretValueInput;
  readonly kmsKey: string | undefined;
  readonly retry: Required<PendingDeletionRetry>;
  readonly scope: DeadlineScope;
}

/** Time kept back for the last attempt: no retry is started that could not finish before the deadline. */
const RESERVE_MS = 1_000;

/**
 * `CreateSecret` with the two cases upstream KES gets wrong (spec aws-vault.md §1.3, §2.6, §5.1):
 *
 * - **Name still being deleted.** AWS deletes asynchronously even with `ForceDeleteWithoutRecovery`, so a create right
 *   after a delete can get `InvalidRequestException` ("…already scheduled for deletion"). The create is retried with
 *   exponential backoff (`retry`), never past the deadline; when the name is still blocked it fails with
 *   `CREATE_KEY_FAILED` whose cause explains what to do (the name may be scheduled for deletion with a recovery window).
 * - **Lost response.** When the SDK had to retry and the retry got `ResourceExistsException`, the first attempt may
 *   have created the secret. Each create carries its own `ClientRequestToken`, which AWS keeps as the `VersionId`; if
 *   the existing secret's version is ours, the create succeeded.
 *
 * @throws the SDK error of the last attempt (the caller translates it), or `CREATE_KEY_FAILED` as described above.
 */
export async function createSecret(request: CreateSecretRequest): Promise<void> {
  const { client, secretName, scope, retry } = request;
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    const token = randomUUID();
    const input = {
      Name: secretName,
      ClientRequestToken: token,
      ...request.value,
      ...(request.kmsKey !== undefined ? { KmsKeyId: request.kmsKey } : {}),
    };
    try {
      await client.send(new CreateSecretCommand(input), { abortSignal: scope.signal });
      return;
    } catch (err) {
      if (awsErrorCode(err) === 'ResourceExistsException' && sdkAttempts(err) > 1 && (await isOurVersion(request, token))) return;
      if (!isPendingDeletion(err)) throw err;
      const delay = backoff(retry, attempt);
      if (attempt >= retry.retries || scope.remainingMs() < delay + RESERVE_MS) {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        throw Errors.createKeyFailed(
          new Error(
            `aws: cannot create '${request.keyName}': a secret with this name is still scheduled for deletion after ` +
              `${attempt + 1} attempts in ${seconds} s. If it was deleted with a recovery window, restore it ` +
              `(aws secretsmanager restore-secret) or delete it for good (aws secretsmanager delete-secret ` +
              `--force-delete-without-recovery), then try again`,
            { cause: err },
          ),
        );
      }
      await sleep(delay, scope.signal);
    }
  }
}

/** Delay before retry number `attempt + 1`: initial × 2^attempt, capped, ±20 % jitter. */
function backoff(retry: Required<PendingDeletionRetry>, attempt: number): number {
  const base = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** True iff the current version of the secret is the one our `token` created. Any failure → false. */
async function isOurVersion(request: CreateSecretRequest, token: string): Promise<boolean> {
  try {
    const out = await request.client.send(new GetSecretValueCommand({ SecretId: request.secretName }), {
      abortSignal: request.scope.signal,
    });
    return out.VersionId === token;
  } catch {
    return false;
  }
}
