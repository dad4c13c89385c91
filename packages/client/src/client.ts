/**
 * {@link KesClient}: one method per KES route (spec `kes-protocol.md` §2.3–§2.4; `minio-client.md` §2.3). Paths,
 * methods and bodies are the Go SDK's (POST for create/import/generate/encrypt/decrypt, PUT for hmac; standard
 * padded base64 for bytes; `context` omitted when empty).
 */
import { encodeBase64 } from '@kes/core';
import { loadCredentials } from './credentials.js';
import { decodeApis, decodeIdentityInfo, decodeKeyInfo, decodePolicy, decodePolicyInfo, decodeSelf, decodeStatus, decodeVersion } from './decode.js';
import { orderEndpoints, parseEndpoints } from './endpoints.js';
import { errorFromResponse } from './errors.js';
import { asArray, asObject, bytes, invalid, parseJson, type Where } from './json.js';
import { PagedListing, parseJsonListing, parseLegacyListing, type ListKind } from './listing.js';
import { decodeAuditEvent, decodeErrorEvent, NdjsonLogStream } from './log-stream.js';
import { parseMetrics } from './metrics.js';
import type { KesClientOptions } from './options.js';
import { Transport, type TransportReply, type TransportRequest } from './transport.js';
import { JSON_HEADERS, jsonBody, METRICS_ACCEPT, route, withContext } from './wire.js';
import type {
  ApiInfo, AuditEvent, BulkCiphertext, DataKey, ErrorEvent, IdentityInfo, KeyAlgorithm, KeyInfo, ListPage, Listing,
  LogStream, Metric, PolicyDocument, PolicyInfo, RequestOptions, SelfInfo, ServerStatus, ServerVersion,
} from './types.js';

/**
 * A KES client. Create with {@link KesClient.create}; every method rejects with a `KesClientError` only.
 * Several endpoints: 503 and network errors are retried (twice, 200–1000 ms jitter), then any network/TLS error or
 * ≥ 500 answer other than 501 fails over to the next endpoint, which is then skipped for 30 s.
 */
export class KesClient {
  private constructor(
    private readonly transport: Transport,
    /** The client's identity (hex SHA-256 of its certificate's SubjectPublicKeyInfo, spec §3.1). */
    readonly identity: string,
  ) {}

  /**
   * Loads credentials (reads files; derives the Ed25519 certificate of an API key) and prepares the keep-alive agent.
   * No request is made.
   * @throws KesClientError `CONFIG` (endpoints, missing/conflicting credentials), `CREDENTIALS`, `PASSWORD_REQUIRED`,
   *   `WRONG_PASSWORD`.
   */
  static async create(options: KesClientOptions): Promise<KesClient> {
    const endpoints = orderEndpoints(parseEndpoints(options.endpoints));
    const credentials = await loadCredentials(options);
    const transport = new Transport({
      endpoints,
      credentials,
      insecure: options.insecure === true,
      timeoutMs: options.timeoutMs ?? 15_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      retry: options.retry ?? {},
    });
    return new KesClient(transport, credentials.identity);
  }

  /** The endpoints, local ones first (the order they are preferred in). */
  get endpoints(): readonly string[] {
    return this.transport.endpoints;
  }

  private async send(req: TransportRequest, opts?: RequestOptions): Promise<TransportReply> {
    const reply = await this.transport.send(req, opts);
    if (reply.status < 200 || reply.status >= 300) {
      reply.stream?.destroy();
      throw errorFromResponse(reply.status, reply.headers['content-type'], reply.body, reply.endpoint);
    }
    return reply;
  }

  private async json(req: TransportRequest, what: string, opts?: RequestOptions): Promise<[unknown, Where]> {
    const reply = await this.send(req, opts);
    const where = { what, endpoint: reply.endpoint };
    return [parseJson(reply.body, where), where];
  }

  /** `GET /version` (no authentication needed). */
  async version(opts?: RequestOptions): Promise<ServerVersion> {
    return decodeVersion(...(await this.json({ method: 'GET', path: '/version' }, 'version', opts)));
  }

  /** `GET /v1/ready`: resolves iff the server and its keystore are ready (504/502 otherwise, as `HTTP` errors). */
  async ready(opts?: RequestOptions): Promise<void> {
    await this.send({ method: 'GET', path: '/v1/ready' }, opts);
  }

  /** `GET /v1/status`. */
  async status(opts?: RequestOptions): Promise<ServerStatus> {
    return decodeStatus(...(await this.json({ method: 'GET', path: '/v1/status' }, 'status', opts)));
  }

  /** `GET /v1/api`: every route with its method, body limit and timeout. */
  async apis(opts?: RequestOptions): Promise<ApiInfo[]> {
    return decodeApis(...(await this.json({ method: 'GET', path: '/v1/api' }, 'API list', opts)));
  }

  /** `GET /v1/metrics` (Prometheus text) decoded into a {@link Metric}. */
  async metrics(opts?: RequestOptions): Promise<Metric> {
    const reply = await this.send({ method: 'GET', path: '/v1/metrics', headers: METRICS_ACCEPT }, opts);
    return parseMetrics(reply.body.toString('utf8'), { what: 'metrics', endpoint: reply.endpoint });
  }

  /** `POST /v1/key/create/<name>`: a new key of the server's default type. Exists → `KEY_EXISTS`. */
  async createKey(name: string, opts?: RequestOptions): Promise<void> {
    await this.send({ method: 'POST', path: route('/v1/key/create', name) }, opts);
  }

  /** `POST /v1/key/import/<name>` with `{"key","cipher"}`; `cipher` defaults to `AES256`. */
  async importKey(name: string, req: { key: Uint8Array; cipher?: KeyAlgorithm | string }, opts?: RequestOptions): Promise<void> {
    const body = jsonBody({ key: encodeBase64(req.key), cipher: req.cipher ?? 'AES256' });
    await this.send({ method: 'POST', path: route('/v1/key/import', name), body, headers: JSON_HEADERS }, opts);
  }

  /** `GET /v1/key/describe/<name>`. Missing → `KEY_NOT_FOUND`. */
  async describeKey(name: string, opts?: RequestOptions): Promise<KeyInfo> {
    const [v, where] = await this.json({ method: 'GET', path: route('/v1/key/describe', name) }, 'describe key', opts);
    return decodeKeyInfo(v, where, name);
  }

  /** `DELETE /v1/key/delete/<name>`. */
  async deleteKey(name: string, opts?: RequestOptions): Promise<void> {
    await this.send({ method: 'DELETE', path: route('/v1/key/delete', name) }, opts);
  }

  /** `POST /v1/key/generate/<name>`: a fresh data key and its ciphertext (bound to `context`, if given). */
  async generateKey(name: string, context?: Uint8Array, opts?: RequestOptions): Promise<DataKey> {
    const body = jsonBody(withContext({}, context));
    const [v, where] = await this.json(
      { method: 'POST', path: route('/v1/key/generate', name), body, headers: JSON_HEADERS },
      'generate key',
      opts,
    );
    const o = asObject(v, where);
    return { plaintext: bytes(o, 'plaintext', where), ciphertext: bytes(o, 'ciphertext', where) };
  }

  /** `POST /v1/key/encrypt/<name>`: the ciphertext of `plaintext` (bound to `context`, if given). */
  async encrypt(name: string, plaintext: Uint8Array, context?: Uint8Array, opts?: RequestOptions): Promise<Uint8Array> {
    const body = jsonBody(withContext({ plaintext: encodeBase64(plaintext) }, context));
    const [v, where] = await this.json(
      { method: 'POST', path: route('/v1/key/encrypt', name), body, headers: JSON_HEADERS },
      'encrypt',
      opts,
    );
    return bytes(asObject(v, where), 'ciphertext', where);
  }

  /** `POST /v1/key/decrypt/<name>`. Not authentic / wrong context → `DECRYPT`. */
  async decrypt(name: string, ciphertext: Uint8Array, context?: Uint8Array, opts?: RequestOptions): Promise<Uint8Array> {
    const body = jsonBody(withContext({ ciphertext: encodeBase64(ciphertext) }, context));
    const [v, where] = await this.json(
      { method: 'POST', path: route('/v1/key/decrypt', name), body, headers: JSON_HEADERS },
      'decrypt',
      opts,
    );
    return bytes(asObject(v, where), 'plaintext', where);
  }

  /** `PUT /v1/key/hmac/<name>`: HMAC-SHA256 of `message` under the key's HMAC key; none → `HMAC_NOT_SUPPORTED`. */
  async hmac(name: string, message: Uint8Array, opts?: RequestOptions): Promise<Uint8Array> {
    const body = jsonBody({ message: encodeBase64(message) });
    const [v, where] = await this.json(
      { method: 'PUT', path: route('/v1/key/hmac', name), body, headers: JSON_HEADERS },
      'hmac',
      opts,
    );
    return bytes(asObject(v, where), 'hmac', where);
  }

  /** `POST /v1/key/bulk/decrypt/<name>` (at most 1000 items; the first failure fails the call). Plaintexts in order. */
  async bulkDecrypt(name: string, items: readonly BulkCiphertext[], opts?: RequestOptions): Promise<Uint8Array[]> {
    const body = jsonBody(items.map((i) => withContext({ ciphertext: encodeBase64(i.ciphertext) }, i.context)));
    const [v, where] = await this.json(
      { method: 'POST', path: route('/v1/key/bulk/decrypt', name), body, headers: JSON_HEADERS, maxBody: 8 << 20 },
      'bulk decrypt',
      opts,
    );
    const list = asArray(v, where);
    if (list.length !== items.length) throw invalid(where, `expected ${items.length} plaintexts, got ${list.length}`);
    return list.map((item) => bytes(asObject(item, where), 'plaintext', where));
  }

  private listing(api: string, kind: ListKind, what: string, prefix: string, opts?: RequestOptions): Listing {
    return new PagedListing(prefix, async (p: string): Promise<ListPage> => {
      const reply = await this.send({ method: 'GET', path: route(api, p), maxBody: 16 << 20 }, opts);
      const where = { what, endpoint: reply.endpoint };
      const type = reply.headers['content-type'] ?? '';
      return type.trim().startsWith('application/x-ndjson')
        ? parseLegacyListing(reply.body.toString('utf8'), kind, where)
        : parseJsonListing(reply.body, kind, where);
    });
  }

  /** `GET /v1/key/list/<prefix>` (a trailing `*` is allowed). Lazy: requests happen while iterating. */
  listKeys(prefix = '', opts?: RequestOptions): Listing {
    return this.listing('/v1/key/list', 'names', 'key list', prefix, opts);
  }

  /** `GET /v1/policy/describe/<name>`. Missing → `POLICY_NOT_FOUND`. */
  async describePolicy(name: string, opts?: RequestOptions): Promise<PolicyInfo> {
    const [v, where] = await this.json({ method: 'GET', path: route('/v1/policy/describe', name) }, 'describe policy', opts);
    return decodePolicyInfo(v, where, name);
  }

  /** `GET /v1/policy/read/<name>`: the allow/deny patterns. Missing → `POLICY_NOT_FOUND`. */
  async readPolicy(name: string, opts?: RequestOptions): Promise<PolicyDocument> {
    const [v, where] = await this.json({ method: 'GET', path: route('/v1/policy/read', name) }, 'read policy', opts);
    return decodePolicy(v, where, name);
  }

  /** `GET /v1/policy/list/<prefix>`. Lazy. */
  listPolicies(prefix = '', opts?: RequestOptions): Listing {
    return this.listing('/v1/policy/list', 'names', 'policy list', prefix, opts);
  }

  /** `GET /v1/identity/describe/<identity>`. Unknown → `IDENTITY_NOT_FOUND`. */
  async describeIdentity(identity: string, opts?: RequestOptions): Promise<IdentityInfo> {
    const [v, where] = await this.json(
      { method: 'GET', path: route('/v1/identity/describe', identity) },
      'describe identity',
      opts,
    );
    return decodeIdentityInfo(v, where, identity);
  }

  /** `GET /v1/identity/self/describe`: the caller's identity, role and policy. */
  async describeSelf(opts?: RequestOptions): Promise<SelfInfo> {
    return decodeSelf(...(await this.json({ method: 'GET', path: '/v1/identity/self/describe' }, 'describe self', opts)));
  }

  /** `GET /v1/identity/list/<prefix>`. Lazy. */
  listIdentities(prefix = '', opts?: RequestOptions): Listing {
    return this.listing('/v1/identity/list', 'identities', 'identity list', prefix, opts);
  }

  private async stream<T>(path: string, decode: (v: unknown, where: Where) => T, what: string, opts?: RequestOptions): Promise<LogStream<T>> {
    const reply = await this.send({ method: 'GET', path, stream: true }, { ...opts, timeoutMs: opts?.timeoutMs ?? 0 });
    if (reply.stream === undefined) throw invalid({ what, endpoint: reply.endpoint }, 'not a stream');
    return new NdjsonLogStream(reply.stream, decode, { what, endpoint: reply.endpoint }, opts?.signal);
  }

  /**
   * `GET /v1/log/audit`: resolves once the server accepted the subscription; then yields events as they happen.
   * `opts.timeoutMs` (default none) bounds only the wait for the server's answer.
   */
  auditLog(opts?: RequestOptions): Promise<LogStream<AuditEvent>> {
    return this.stream('/v1/log/audit', decodeAuditEvent, 'audit log', opts);
  }

  /** `GET /v1/log/error`: like {@link auditLog} for error events. */
  errorLog(opts?: RequestOptions): Promise<LogStream<ErrorEvent>> {
    return this.stream('/v1/log/error', decodeErrorEvent, 'error log', opts);
  }

  /** Closes idle connections; the client must not be used afterwards. Idempotent. */
  async close(): Promise<void> {
    this.transport.close();
  }
}
