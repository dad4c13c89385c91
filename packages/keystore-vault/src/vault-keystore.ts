import { Errors, isValidBase64, listPage, encodeBase64, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';
import { createTokenSource } from './auth-login.js';
import { authNamespace, type VaultKeystoreConfig } from './config.js';
import { classifyNotFound, isNotFound, listedNames, secretData, storedText, transitField } from './kv-answers.js';
import { deletePath, entryPath, isStorableName, listPath, readPath, transitPath, type KvLayout } from './kv-paths.js';
import { loadTlsMaterial } from './tls-files.js';
import { TokenManager, type TokenManagerOptions } from './token-manager.js';
import { translateVaultError, type VaultOperation } from './translate-error.js';
import { TRANSIT_CIPHERTEXT, textToValue, valueToText } from './value-codec.js';
import { VaultRequestError } from './vault-request-error.js';
import { VaultSession } from './vault-session.js';
import { VaultTransport, type VaultTlsMaterial } from './vault-transport.js';

/** Marks a 404 that means "no such entry". */
const ABSENT = Symbol('absent');

/** Runtime options of a {@link VaultKeystore} (not part of the config file). */
export interface VaultKeystoreOptions {
  /** Relative paths (TLS files, a JWT file) are resolved against it. @default process.cwd() */
  readonly cwd?: string;
  /**
   * Timeout of each request to Vault in ms; an expired request counts as "unreachable". The default stays below the
   * server's 15 s API timeout, so that a hanging Vault shows as "unreachable" rather than as a cut-off request.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /** Token renewal tuning (tests shorten it). */
  readonly tokens?: Omit<TokenManagerOptions, 'onWarning'>;
  /** Receives warnings about background login and renewal failures (never secrets). */
  readonly warn?: (message: string) => void;
}

/**
 * The HashiCorp Vault keystore of KES (`keystore.vault`, spec `aws-vault.md` §3): one K/V entry per key under
 * `<engine>/[data/]<prefix>/<name>`, holding `{"<name>": "<value>"}`.
 * - create: pre-read (exists → `KEY_EXISTS`), optional transit encryption, then write; on K/V v2 with `cas: 0`, so a
 *   racing creator loses with `KEY_EXISTS`. K/V v1 has no check-and-set: concurrent creates race (last write wins).
 * - get: K/V v2 reads version 1; a missing entry, and a deleted or destroyed version, is `KEY_NOT_FOUND`.
 * - delete: v2 removes the metadata (all versions); never reports `KEY_NOT_FOUND` (Vault answers 204 either way).
 * - list: one list request of the key directory; an empty or missing directory (404 `{"errors":[]}`) lists nothing;
 *   folders and foreign names are skipped; paging by the shared helper.
 * - status: `sys/health` without namespace; sealed, uninitialised or unreachable → `KEYSTORE_UNREACHABLE`; a login
 *   that keeps failing (e.g. a revoked AppRole secret) → `KEYSTORE_UNAVAILABLE` with the login error as cause.
 * - Values are stored as UTF-8 text (non-UTF-8 values are refused) or, with transit, as `vault:v<N>:` ciphertexts of
 *   their base64 (any bytes).
 * Errors: `KEY_EXISTS`, `KEY_NOT_FOUND`, `KEYSTORE_UNREACHABLE` as the contract says; `INVALID_KEY_CONFIG` for a name
 * Vault cannot hold; other failures are `CREATE_KEY_FAILED`, `READ_KEY_FAILED`, `DELETE_KEY_FAILED`,
 * `LIST_KEYS_FAILED` whose `cause` says what Vault answered. An aborted signal rejects with its reason.
 */
export class VaultKeystore implements Keystore {
  readonly #config: VaultKeystoreConfig;
  readonly #layout: KvLayout;
  readonly #session: VaultSession;

  /**
   * Builds the keystore without any I/O. Call {@link VaultKeystore.start} (or use {@link VaultKeystore.open}) to log
   * in and poll health in the background.
   * @param tls - the TLS material read from the `tls:` files (see `loadTlsMaterial`).
   */
  constructor(config: VaultKeystoreConfig, options: VaultKeystoreOptions = {}, tls?: VaultTlsMaterial) {
    this.#config = config;
    this.#layout = { engine: config.engine, version: config.version, prefix: config.prefix };
    const transport = new VaultTransport({ endpoint: config.endpoint, requestTimeoutMs: options.requestTimeoutMs ?? 10_000, ...(tls ? { tls } : {}) });
    const source = createTokenSource(config.auth, authNamespace(config), transport, options.cwd ?? process.cwd());
    const tokens = new TokenManager(source, { ...options.tokens, ...(options.warn ? { onWarning: options.warn } : {}) });
    this.#session = new VaultSession(transport, tokens, config.namespace === '' ? undefined : config.namespace);
  }

  /**
   * Reads the TLS files, builds the keystore and starts its background login and health poll. Does not wait for
   * Vault: an unreachable Vault shows in {@link VaultKeystore.status} and in the calls.
   * @throws Error naming the file when a TLS file cannot be read or parsed.
   */
  static async open(config: VaultKeystoreConfig, options: VaultKeystoreOptions = {}): Promise<VaultKeystore> {
    const hasTls = config.tls.ca !== undefined || config.tls.cert !== undefined;
    const tls = hasTls ? await loadTlsMaterial(config.tls, options.cwd ?? process.cwd()) : undefined;
    const keystore = new VaultKeystore(config, options, tls);
    keystore.start();
    return keystore;
  }

  /** Starts the background login and the `sys/health` poll (every `status.ping`). Call once. */
  start(): void {
    this.#session.start(this.#config.statusPingMs);
  }

  /** Whether Vault was sealed (or uninitialised) at the last health check; calls fail fast meanwhile. */
  get sealed(): boolean {
    return this.#session.sealed;
  }

  /** Stores `value` under `name` iff no entry exists (see the class comment). */
  async create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.#check(name, signal);
    const { version } = this.#layout;
    try {
      const text = this.#config.transit ? encodeBase64(value) : valueToText(value); // transit takes base64 plaintext
      if (await this.#exists(name, signal)) throw Errors.keyExists();
      const stored = this.#config.transit ? await this.#encrypt(text, signal) : text;
      const body = version === 'v2' ? { options: { cas: 0 }, data: { [name]: stored } } : { [name]: stored };
      try {
        await this.#session.call(signal, (scope) => this.#session.transport.write(entryPath(this.#layout, name), body, scope));
      } catch (err) {
        if (version === 'v2' && err instanceof VaultRequestError && err.isCasConflict) throw Errors.keyExists();
        throw err;
      }
    } catch (err) {
      throw this.#fail('create', err, signal);
    }
  }

  /** Returns the value stored under `name`; `KEY_NOT_FOUND` when there is none. */
  async get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    this.#check(name, signal);
    try {
      const body = await this.#readEntry(readPath(this.#layout, name), signal);
      if (body === ABSENT) throw Errors.keyNotFound();
      const text = storedText(this.#layout.version, name, body);
      if (text === undefined) throw Errors.keyNotFound();
      if (!TRANSIT_CIPHERTEXT.test(text)) return textToValue(text);
      return await this.#decrypt(name, text, signal);
    } catch (err) {
      throw this.#fail('get', err, signal);
    }
  }

  /** Deletes the entry of `name` (v2: all versions and metadata); resolves also when there is none. */
  async delete(name: string, signal?: AbortSignal): Promise<void> {
    this.#check(name, signal);
    try {
      await this.#session.call(signal, (scope) => this.#session.transport.delete(deletePath(this.#layout, name), scope));
    } catch (err) {
      const absent = isNotFound(err) && classifyNotFound(this.#layout.version, err) === 'absent';
      if (!absent) throw this.#fail('delete', err, signal);
    }
  }

  /** One page of the names in the key directory that start with `prefix`. */
  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    signal?.throwIfAborted();
    let names: string[];
    try {
      const body = await this.#readEntry(listPath(this.#layout), signal, 'list');
      names = body === ABSENT ? [] : listedNames(body);
    } catch (err) {
      throw this.#fail('list', err, signal);
    }
    return listPage(names.filter(isStorableName), prefix, limit);
  }

  /** Probes `sys/health` (see the class comment). */
  async status(signal?: AbortSignal): Promise<KeystoreStatus> {
    signal?.throwIfAborted();
    const latencyMs = await this.#session.health(signal);
    const loginFailure = this.#session.loginFailure;
    if (loginFailure !== undefined) {
      const translated = translateVaultError('get', loginFailure);
      throw translated.code === 'KEYSTORE_UNREACHABLE' ? translated : Errors.keystoreUnavailable(loginFailure);
    }
    return { latencyMs };
  }

  /** Stops the background tasks and cancels requests in flight; later calls are `KEYSTORE_UNREACHABLE`. Idempotent. */
  async close(): Promise<void> {
    this.#session.close();
  }

  #check(name: string, signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (!isStorableName(name)) throw Errors.invalidKeyConfig('vault: key name contains invalid character');
  }

  /** The create pre-read: true when an entry (with a live version, on v2) exists. */
  async #exists(name: string, signal: AbortSignal | undefined): Promise<boolean> {
    const body = await this.#readEntry(entryPath(this.#layout, name), signal);
    return body !== ABSENT && secretData(this.#layout.version, body) !== null; // a deleted v2 version: cas:0 decides
  }

  /**
   * A read (or list) that tells "no such entry" apart.
   * @returns the answer body, or {@link ABSENT} for a 404 that means "absent".
   * @throws an Error explaining a misconfiguration for other 404s; what the session threw otherwise.
   */
  async #readEntry(path: string, signal: AbortSignal | undefined, kind: 'read' | 'list' = 'read'): Promise<unknown> {
    const transport = this.#session.transport;
    try {
      return await this.#session.call(signal, (scope) => (kind === 'list' ? transport.list(path, scope) : transport.read(path, scope)));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const meaning = classifyNotFound(this.#layout.version, err);
      if (meaning === 'absent') return ABSENT;
      throw meaning;
    }
  }

  async #encrypt(base64: string, signal: AbortSignal | undefined): Promise<string> {
    const { engine, key } = this.#config.transit!;
    const body = await this.#session.call(signal, (scope) => this.#session.transport.write(transitPath(engine, 'encrypt', key), { plaintext: base64 }, scope));
    const ciphertext = transitField(body, 'ciphertext');
    if (!TRANSIT_CIPHERTEXT.test(ciphertext)) throw new Error('vault: the transit ciphertext does not start with vault:v<N>:');
    return ciphertext;
  }

  async #decrypt(name: string, ciphertext: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (!this.#config.transit) throw new Error(`vault: the value of key '${name}' is transit-encrypted but no transit key is configured`);
    const { engine, key } = this.#config.transit;
    const body = await this.#session.call(signal, (scope) => this.#session.transport.write(transitPath(engine, 'decrypt', key), { ciphertext }, scope));
    const plaintext = transitField(body, 'plaintext');
    if (!isValidBase64(plaintext)) throw new Error(`vault: the transit plaintext of key '${name}' is not base64`);
    return new Uint8Array(Buffer.from(plaintext, 'base64'));
  }

  #fail(operation: VaultOperation, err: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted && err === signal.reason) return err;
    return translateVaultError(operation, err);
  }
}
