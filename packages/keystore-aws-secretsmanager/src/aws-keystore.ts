import {
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  type Filter,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { Errors, listPage, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';
import { translateAwsError, describeAwsError, type AwsOperation } from './aws-errors.js';
import { createSecretsManagerClient } from './client-factory.js';
import { createSecret } from './create-secret.js';
import { withDeadline, type DeadlineScope } from './deadline.js';
import { resolveOptions, type AwsSecretsManagerKeystoreOptions, type ResolvedOptions } from './options.js';
import { probeEndpoint } from './status-probe.js';
import { AWS_MAX_SECRET_BYTES, fromSecretValue, toSecretValue } from './value-codec.js';

/** Secret names AWS accepts: 1–512 characters of `A-Z a-z 0-9 / _ + = . @ -`. */
const AWS_SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** Characters AWS accepts in a ListSecrets filter value (a value may not start with `!`, which negates). */
const FILTER_VALUE = /^[a-zA-Z0-9 :_@/+=.-]{1,512}$/;
/** A safety net against a service that keeps handing out NextTokens. */
const MAX_LIST_PAGES = 100_000;

/**
 * The `aws.secretsmanager` keystore of KES (spec aws-vault.md §1): one secret per key, named like the key, holding
 * the value as `SecretString` (non-UTF-8 values, which the KES server never writes, as `SecretBinary`).
 *
 * - `create` → `CreateSecret` (with `KmsKeyId` when configured); an existing name → `KEY_EXISTS`; a name still being
 *   deleted is retried with bounded backoff (see `createSecret`).
 * - `get` → `GetSecretValue`; missing or scheduled for deletion → `KEY_NOT_FOUND`.
 * - `delete` → `DeleteSecret` with `ForceDeleteWithoutRecovery` (no recovery window; AWS answers success for a
 *   missing name, so a missing key resolves).
 * - `list` → every page of `ListSecrets` (100 per page, a `name` prefix filter when the prefix allows one), then
 *   sorted and cut locally like KES. ListSecrets is eventually consistent on AWS (up to minutes).
 * - `status` → a plain `GET <endpoint>` like KES: any HTTP answer is "reachable".
 * - Every call has a deadline (`operationTimeoutMs`, default 10 s) covering all SDK retries; transport failures and
 *   the deadline give `KEYSTORE_UNREACHABLE`; other AWS errors the operation's `*_FAILED` error with an explaining cause.
 */
export class AwsSecretsManagerKeystore implements Keystore {
  readonly #client: SecretsManagerClient;
  readonly #options: ResolvedOptions;
  #closed = false;

  /**
   * Builds the SDK client; does no I/O.
   * @throws RangeError for invalid numeric options.
   */
  constructor(options: AwsSecretsManagerKeystoreOptions) {
    this.#options = resolveOptions(options);
    const credentials = options.credentials ? { credentials: options.credentials } : {};
    this.#client = options.client ?? createSecretsManagerClient({ ...this.#options, ...credentials });
  }

  /** The endpoint URL this keystore talks to. */
  get endpoint(): string {
    return this.#options.endpoint;
  }

  /**
   * Stores `value` as a new secret.
   * @throws KesError `KEY_EXISTS`, `INVALID_KEY_CONFIG` (a name AWS cannot store), `CREATE_KEY_FAILED`,
   *   `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    const secretName = this.#begin(name, signal);
    if (value.byteLength > AWS_MAX_SECRET_BYTES) {
      throw Errors.createKeyFailed(new RangeError(`aws: value is larger than ${AWS_MAX_SECRET_BYTES} bytes`));
    }
    const secretValue = toSecretValue(value);
    await this.#run('create', name, signal, (scope) =>
      createSecret({
        client: this.#client,
        secretName,
        keyName: name,
        value: secretValue,
        kmsKey: this.#options.kmsKey,
        retry: this.#options.pendingDeletion,
        scope,
      }),
    );
  }

  /**
   * @returns the stored value (a fresh copy).
   * @throws KesError `KEY_NOT_FOUND`, `INVALID_KEY_CONFIG`, `READ_KEY_FAILED`, `INVALID_STORED_KEY`,
   *   `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    const secretName = this.#begin(name, signal);
    const out = await this.#run('get', name, signal, (scope) =>
      this.#client.send(new GetSecretValueCommand({ SecretId: secretName }), { abortSignal: scope.signal }),
    );
    return fromSecretValue(name, out);
  }

  /**
   * Deletes the secret at once, without a recovery window. A missing key resolves (AWS reports no error).
   * @throws KesError `KEY_NOT_FOUND` (only if the service reports it), `INVALID_KEY_CONFIG`, `DELETE_KEY_FAILED`,
   *   `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async delete(name: string, signal?: AbortSignal): Promise<void> {
    const secretName = this.#begin(name, signal);
    await this.#run('delete', name, signal, (scope) =>
      this.#client.send(new DeleteSecretCommand({ SecretId: secretName, ForceDeleteWithoutRecovery: true }), {
        abortSignal: scope.signal,
      }),
    );
  }

  /**
   * One page of key names (see `listPage`), from all pages of `ListSecrets`.
   * @throws KesError `LIST_KEYS_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    this.#assertOpen(signal);
    const names = await this.#run('list', '', signal, (scope) => this.#listAll(prefix, scope));
    return listPage(names, prefix, limit);
  }

  /**
   * `GET <endpoint>`; any HTTP answer counts as reachable.
   * @throws KesError `KEYSTORE_UNREACHABLE` on transport failures or after `statusTimeoutMs`; the signal's reason.
   */
  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    this.#assertOpen(signal);
    const { endpoint, statusTimeoutMs } = this.#options;
    const onTimeout = () => Errors.keystoreUnreachable(`aws: GET ${endpoint} timed out after ${statusTimeoutMs} ms`);
    return withDeadline(signal, statusTimeoutMs, onTimeout, async (scope) => {
      try {
        return { latencyMs: await probeEndpoint(endpoint, scope.signal) };
      } catch (err) {
        if (scope.signal.aborted) throw err;
        throw Errors.keystoreUnreachable(`aws: GET ${endpoint}: ${describeAwsError(err)}`, err);
      }
    });
  }

  /** Destroys the SDK client; later calls reject with `KEYSTORE_UNREACHABLE`. Idempotent, never rejects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.destroy();
  }

  async #listAll(prefix: string, scope: DeadlineScope): Promise<string[]> {
    const { namePrefix } = this.#options;
    const filterValue = namePrefix + prefix;
    const Filters: Filter[] | undefined = FILTER_VALUE.test(filterValue) ? [{ Key: 'name', Values: [filterValue] }] : undefined;
    const names = new Set<string>();
    let NextToken: string | undefined;
    for (let page = 0; page === 0 || NextToken !== undefined; page++) {
      if (page >= MAX_LIST_PAGES) throw new Error(`aws: ListSecrets returned more than ${MAX_LIST_PAGES} pages`);
      const out = await this.#client.send(new ListSecretsCommand({ MaxResults: 100, NextToken, Filters }), {
        abortSignal: scope.signal,
      });
      for (const secret of out.SecretList ?? []) {
        const name = secret.Name;
        if (name === undefined || secret.DeletedDate !== undefined || !name.startsWith(namePrefix)) continue;
        names.add(name.slice(namePrefix.length));
      }
      NextToken = out.NextToken !== undefined && out.NextToken !== '' ? out.NextToken : undefined;
    }
    return [...names];
  }

  /** Runs one SDK-backed operation under the deadline and translates its errors. */
  #run<T>(op: AwsOperation, name: string, signal: AbortSignal | undefined, fn: (scope: DeadlineScope) => Promise<T>): Promise<T> {
    const { operationTimeoutMs } = this.#options;
    const subject = op === 'list' ? 'list' : `${op} '${name}'`;
    const onTimeout = () => Errors.keystoreUnreachable(`aws: ${subject} timed out after ${operationTimeoutMs} ms`);
    return withDeadline(signal, operationTimeoutMs, onTimeout, async (scope) => {
      try {
        return await fn(scope);
      } catch (err) {
        if (scope.signal.aborted) throw err; // withDeadline turns it into the reason or the timeout
        throw translateAwsError(op, name, err);
      }
    });
  }

  #assertOpen(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (this.#closed) throw Errors.keystoreUnreachable('aws: keystore is closed');
  }

  /** Checks state and the name; returns the secret name. */
  #begin(name: string, signal: AbortSignal | undefined): string {
    this.#assertOpen(signal);
    const secretName = this.#options.namePrefix + name;
    if (name === '' || !AWS_SECRET_NAME.test(secretName)) throw Errors.invalidKeyConfig('aws: key name contains invalid character');
    return secretName;
  }
}
