import { Agent } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import { Errors, isValidName, listPage, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';
import { boundedHttpClient, MAX_ANSWER_BYTES } from './bounded-http-client.js';
import { classify } from './classify.js';
import { createSecret, type FlowContext } from './create-flow.js';
import { deleteSecret } from './delete-flow.js';
import { assertStorableKeyName } from './names.js';
import { budgetOf, DEFAULT_TIMING, type AzureKeyVaultTiming, type Budget } from './retry.js';
import { translateError, type KeystoreOperation } from './translate.js';
import { VaultCalls, oldestVersion } from './vault-calls.js';
import { vaultErrorPolicy } from './vault-http-error.js';

/** Largest value Key Vault stores, in characters (25 KB; the service answers `SecretTooLarge` beyond). */
export const AZURE_MAX_VALUE_LENGTH = 25_600;

/** The secret `status` reads to probe the vault (absent or present, both count as healthy). */
export const STATUS_PROBE_SECRET = 'kes-status-probe';

/** Options of an {@link AzureKeyVaultKeystore}. */
export interface AzureKeyVaultKeystoreOptions {
  /** The vault URL, e.g. `https://my-vault.vault.azure.net`. */
  readonly endpoint: string;
  /** The identity (`ClientSecretCredential`, `ManagedIdentityCredential`, `DefaultAzureCredential`, …). */
  readonly credential: TokenCredential;
  /**
   * PEM CA certificates to trust for the vault **in addition to** Node's bundled roots (the emulator's CA, a
   * TLS-inspecting proxy); the keystore then uses its own keep-alive agent (replacing `clientOptions.agent`).
   * Pass the same to the credential for its identity provider.
   */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /**
   * Accept an authentication challenge whose resource does not match the vault's host (needed for a vault URL that
   * is not `*.vault.azure.net`, such as an emulator on `localhost`). Default `false`.
   */
  readonly disableChallengeResourceVerification?: boolean;
  /** Timeouts and retry bounds; defaults {@link DEFAULT_TIMING}. */
  readonly timing?: Partial<AzureKeyVaultTiming>;
  /** Receives warnings (the server's error log); default: none. */
  readonly warn?: (message: string) => void;
  /**
   * Further `SecretClient` options (e.g. an `agent`); the keystore's retry and error policies and its answer size
   * limit always apply (an `httpClient` given here is wrapped, see {@link MAX_ANSWER_BYTES}).
   */
  readonly clientOptions?: SecretClientOptions;
  /** Random source of the retry jitter (tests). Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * The Azure Key Vault keystore of KES (`keystore.azure.keyvault`), built on `@azure/keyvault-secrets`, with upstream
 * KES's storage format: one secret per key, named exactly like the key, whose value is the stored-key text (no
 * content type, no tags, no attributes). Vaults filled by upstream KES are read unchanged and vice versa.
 *
 * - `get` lists every version (all pages) and reads the **oldest** one, so a later version (another node losing a
 *   create race, or someone writing the secret) never changes the key that is served.
 * - `create` checks existence, writes, purges a soft-deleted namesake when needed and then checks that its version
 *   is the oldest (see {@link createSecret}); `delete` soft-deletes and purges (see {@link deleteSecret}).
 * - `list` reads every page of `GET /secrets` (never stopping on an empty page) and lists the names that are valid
 *   key names. `status` reads {@link STATUS_PROBE_SECRET}: any answer but a refusal counts as healthy.
 * - Names must be storable in Key Vault (no `_`), else `INVALID_KEY_CONFIG` before any call. Key Vault names are
 *   case-insensitive: `My-Key` and `my-key` are one secret (create of the second → `KEY_EXISTS`; get of either
 *   reads it).
 * - Values must be UTF-8 text of at most {@link AZURE_MAX_VALUE_LENGTH} characters (stored keys are ASCII base64).
 * - Answers larger than {@link MAX_ANSWER_BYTES} (announced or counted while streaming) are never buffered: the call
 *   fails as a bad answer, i.e. with the operation's error (`READ_KEY_FAILED`, …; `KEYSTORE_UNAVAILABLE` for status).
 * - Every call ends within its budget ({@link AzureKeyVaultTiming}); 429 is retried with backoff, honouring
 *   `Retry-After`; connection failures and timeouts give `KEYSTORE_UNREACHABLE`; other failures give the operation's
 *   error (`CREATE_KEY_FAILED`, …) whose cause names the problem, e.g. the missing permission.
 */
export class AzureKeyVaultKeystore implements Keystore {
  /** The vault URL. */
  readonly endpoint: string;
  readonly #flow: FlowContext;
  readonly #timing: AzureKeyVaultTiming;
  readonly #warn: (message: string) => void;
  #closed = false;

  /** Builds the SDK client; does no I/O. */
  constructor(options: AzureKeyVaultKeystoreOptions) {
    this.endpoint = options.endpoint;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#warn = options.warn ?? (() => undefined);
    const extra = options.clientOptions ?? {};
    const client = new SecretClient(options.endpoint, options.credential, {
      ...extra,
      ...(options.ca === undefined ? {} : { agent: agentTrusting(options.ca) }),
      httpClient: boundedHttpClient(extra.httpClient, MAX_ANSWER_BYTES),
      disableChallengeResourceVerification: options.disableChallengeResourceVerification === true,
      retryOptions: { maxRetries: 0 }, // the keystore retries itself, bounded by its budgets
      additionalPolicies: [...(extra.additionalPolicies ?? []), { policy: vaultErrorPolicy, position: 'perCall' }],
    });
    this.#flow = { calls: new VaultCalls(client, this.#timing), timing: this.#timing, random: options.random ?? Math.random };
  }

  /**
   * Stores `value` under `name` iff no secret of that name (in any case) exists.
   * @throws KesError `INVALID_KEY_CONFIG`, `KEY_EXISTS`, `CREATE_KEY_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    assertStorableKeyName(name);
    const text = valueText(value);
    await this.#run('create', name, signal, this.#timing.operationTimeoutMs, (budget) => createSecret(this.#flow, name, text, budget));
  }

  /**
   * Returns the value of the oldest version of the secret `name`.
   * @throws KesError `INVALID_KEY_CONFIG`, `KEY_NOT_FOUND`, `READ_KEY_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    assertStorableKeyName(name);
    return this.#run('get', name, signal, this.#timing.operationTimeoutMs, async (budget) => {
      const oldest = oldestVersion(await this.#flow.calls.versions(name, budget));
      if (oldest === undefined) throw Errors.keyNotFound();
      const secret = await this.#flow.calls.version(name, oldest.version, budget);
      return new TextEncoder().encode(secret.value);
    });
  }

  /**
   * Deletes (and purges) the secret `name`.
   * @throws KesError `INVALID_KEY_CONFIG`, `KEY_NOT_FOUND`, `DELETE_KEY_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async delete(name: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    assertStorableKeyName(name);
    await this.#run('delete', name, signal, this.#timing.operationTimeoutMs, (budget) => deleteSecret(this.#flow, name, budget, this.#warn));
  }

  /**
   * Lists the secret names of the vault that are valid key names, sorted, filtered by `prefix` and cut to `limit`.
   * @throws KesError `LIST_KEYS_FAILED`, `KEYSTORE_UNREACHABLE`; the signal's reason.
   */
  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    signal?.throwIfAborted();
    const names = await this.#run('list', '', signal, this.#timing.operationTimeoutMs, (budget) => this.#flow.calls.names(budget));
    return listPage(names.filter(isValidName), prefix, limit);
  }

  /**
   * Probes the vault with an authenticated read of {@link STATUS_PROBE_SECRET} (found, not found or disabled all
   * count as healthy).
   * @throws KesError `KEYSTORE_UNREACHABLE` when the vault cannot be reached or does not answer in time;
   *   `KEYSTORE_UNAVAILABLE` (cause: what failed, e.g. a missing `get` permission) for any other failure.
   */
  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    signal?.throwIfAborted();
    return this.#run('status', '', signal, this.#timing.statusTimeoutMs, async (budget) => {
      const started = performance.now();
      try {
        await this.#flow.calls.latest(STATUS_PROBE_SECRET, budget);
      } catch (err) {
        const kind = classify(err);
        if (kind !== 'not-found' && kind !== 'disabled') throw err;
      }
      return { latencyMs: performance.now() - started };
    });
  }

  /** Marks the keystore closed; later calls fail with `KEYSTORE_UNREACHABLE`. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  async #run<T>(op: KeystoreOperation, name: string, signal: AbortSignal | undefined, timeoutMs: number, fn: (budget: Budget) => Promise<T>): Promise<T> {
    if (this.#closed) throw Errors.keystoreUnreachable('azure: the keystore is closed');
    try {
      return await fn(budgetOf(timeoutMs, signal));
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw translateError(op, name, err);
    }
  }
}

/**
 * The text Key Vault stores for `value` (a copy).
 * @throws KesError `CREATE_KEY_FAILED` when the value is not UTF-8 or longer than {@link AZURE_MAX_VALUE_LENGTH}.
 */
function valueText(value: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(value);
  } catch {
    throw Errors.createKeyFailed(new Error('azure: Key Vault stores text only, and the value is not UTF-8'));
  }
  if (text.length > AZURE_MAX_VALUE_LENGTH) {
    throw Errors.createKeyFailed(new RangeError(`azure: value is longer than Key Vault's limit of ${AZURE_MAX_VALUE_LENGTH} characters`));
  }
  return text;
}

/**
 * A keep-alive agent trusting Node's bundled roots plus `ca` (`tlsOptions.ca` alone would replace the roots), with
 * one TLS context built once: with `ca` in the agent options, Node would parse every root again for each connection.
 */
function agentTrusting(ca: string | Buffer | ReadonlyArray<string | Buffer>): Agent {
  const extra = Array.isArray(ca) ? ca : [ca as string | Buffer];
  return new Agent({ keepAlive: true, secureContext: createSecureContext({ ca: [...rootCertificates, ...extra] }) });
}
