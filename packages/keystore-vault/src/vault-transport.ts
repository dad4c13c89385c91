import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import createVaultClient from 'node-vault';
import { toVaultRequestError } from './vault-request-error.js';

/** The part of node-vault's client this package uses (its bundled typings lack `namespace` and the options). */
interface NodeVaultClient {
  token: string | undefined;
  namespace: string | undefined;
  pathPrefix: string;
  read(path: string, options: RequestOptions): Promise<unknown>;
  write(path: string, data: unknown, options: RequestOptions): Promise<unknown>;
  delete(path: string, options: RequestOptions): Promise<unknown>;
  list(path: string, options: RequestOptions): Promise<unknown>;
  request(options: RequestOptions & { path: string; method: string }): Promise<unknown>;
}

/** Per-request options node-vault hands to axios. */
interface RequestOptions {
  headers: Record<string, string>;
  timeout: number;
  httpAgent: HttpAgent;
  httpsAgent?: HttpsAgent;
}

/** TLS material of the connection to Vault (already read from the files). */
export interface VaultTlsMaterial {
  /** Trusted CA certificates (PEM); absent = Node's default trust store. */
  readonly ca?: readonly Buffer[];
  /** Client certificate chain (PEM), with {@link VaultTlsMaterial.key}. */
  readonly cert?: Buffer;
  /** Client private key (PEM), with {@link VaultTlsMaterial.cert}. */
  readonly key?: Buffer;
}

/** Options of a {@link VaultTransport}. */
export interface VaultTransportOptions {
  /** Vault's base URL without a trailing slash. */
  readonly endpoint: string;
  readonly tls?: VaultTlsMaterial;
  /** Per-request timeout in ms; an expired request counts as a network error. */
  readonly requestTimeoutMs: number;
}

/** Who a request is sent as. */
export interface VaultRequestScope {
  /** `X-Vault-Namespace`; `undefined` = none (root). */
  readonly namespace?: string | undefined;
  /** `X-Vault-Token`; `undefined` = none. */
  readonly token?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The `sys/health` query KES sends: every state answers 2xx, so the JSON body always parses. */
const HEALTH_PATH =
  '/sys/health?uninitcode=299&sealedcode=299&standbycode=299&drsecondarycode=299&performancestandbycode=299';

/**
 * node-vault with the workarounds of spec `aws-vault.md` §4.3:
 * - one client whose global `token` and `namespace` stay unset; token and namespace travel per request as headers,
 *   so health goes without a namespace, logins can go to another namespace, and `VAULT_TOKEN`/`VAULT_NAMESPACE`/
 *   `VAULT_PREFIX`/`VAULT_SKIP_VERIFY` from the environment are never picked up;
 * - `GET …?list=1` instead of the `LIST` verb; health through a raw request with KES's `*code=299` parameters;
 * - one agent per request with keep-alive off (KES #486) carrying the TLS material, destroyed when the caller's
 *   signal aborts, which cancels the request (node-vault has no AbortSignal);
 * - node-vault's debug output (which would print request bodies, i.e. key material) switched off.
 *
 * Every method rejects with a `VaultRequestError`, or with the signal's reason once the signal aborted.
 */
export class VaultTransport {
  readonly #client: NodeVaultClient;
  readonly #options: VaultTransportOptions;
  readonly #inFlight = new Set<HttpAgent>();

  constructor(options: VaultTransportOptions) {
    this.#options = options;
    const client = createVaultClient({
      endpoint: options.endpoint,
      apiVersion: 'v1',
      noCustomHTTPVerbs: true,
      debug: () => undefined,
      rpDefaults: { strictSSL: true },
    } as Parameters<typeof createVaultClient>[0]) as unknown as NodeVaultClient;
    client.token = undefined;
    client.namespace = undefined;
    client.pathPrefix = '';
    this.#client = client;
  }

  /** `GET /v1/<path>`. @returns the parsed body. */
  read(path: string, scope: VaultRequestScope): Promise<unknown> {
    return this.#run(`GET ${path}`, scope, (o) => this.#client.read(path, o));
  }

  /** `POST /v1/<path>` with `data` as JSON (Vault treats POST and PUT alike). @returns the parsed body (`''` for 204). */
  write(path: string, data: unknown, scope: VaultRequestScope): Promise<unknown> {
    return this.#run(`POST ${path}`, scope, (o) => this.#client.write(path, data, o));
  }

  /** `DELETE /v1/<path>`. */
  delete(path: string, scope: VaultRequestScope): Promise<unknown> {
    return this.#run(`DELETE ${path}`, scope, (o) => this.#client.delete(path, o));
  }

  /** `GET /v1/<path>?list=1`. @returns the parsed body. */
  list(path: string, scope: VaultRequestScope): Promise<unknown> {
    return this.#run(`LIST ${path}`, scope, (o) => this.#client.list(path, o));
  }

  /**
   * `GET /v1/sys/health` with KES's query, never with a namespace or token. node-vault resolves health answers of
   * any status with their body, so the caller must check the body's shape.
   */
  health(signal?: AbortSignal): Promise<unknown> {
    return this.#run('GET sys/health', { signal }, (o) => this.#client.request({ ...o, path: HEALTH_PATH, method: 'GET' }));
  }

  /** Destroys the agents of requests in flight (they reject). Idempotent. */
  close(): void {
    for (const agent of this.#inFlight) agent.destroy();
    this.#inFlight.clear();
  }

  async #run(operation: string, scope: VaultRequestScope, call: (options: RequestOptions) => Promise<unknown>): Promise<unknown> {
    const { signal } = scope;
    signal?.throwIfAborted();
    const agent = this.#newAgent();
    const headers: Record<string, string> = { 'X-Vault-Request': 'true' };
    if (scope.token !== undefined && scope.token !== '') headers['X-Vault-Token'] = scope.token;
    if (scope.namespace !== undefined && scope.namespace !== '') headers['X-Vault-Namespace'] = scope.namespace;
    const options: RequestOptions = { headers, timeout: this.#options.requestTimeoutMs, httpAgent: agent };
    if (agent instanceof HttpsAgent) options.httpsAgent = agent;
    this.#inFlight.add(agent);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        agent.destroy();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      return await Promise.race([call(options), aborted]);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw toVaultRequestError(operation, err);
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.#inFlight.delete(agent);
      agent.destroy();
    }
  }

  #newAgent(): HttpAgent {
    if (!this.#options.endpoint.startsWith('https:')) return new HttpAgent({ keepAlive: false });
    const tls = this.#options.tls ?? {};
    return new HttpsAgent({
      keepAlive: false,
      rejectUnauthorized: true,
      ...(tls.ca ? { ca: [...tls.ca] } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
    });
  }
}
