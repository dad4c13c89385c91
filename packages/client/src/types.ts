/**
 * Response and request types of the client (spec `kes-protocol.md` §2.3, §9; `minio-client.md` §2.3).
 * Timestamps are kept as the RFC 3339 text the server sent, so nanosecond precision survives.
 */

/** Key algorithms a server reports (`AES256`, `ChaCha20`); import also accepts `AES256-GCM_SHA256`, `XCHACHA20-POLY1305`. */
export type KeyAlgorithm = 'AES256' | 'ChaCha20';

/** Options accepted by every client method. */
export interface RequestOptions {
  /** Aborts the request (or ends a log stream). */
  signal?: AbortSignal;
  /** Time budget of this call in ms, across retries and failover (0 = none). Default: the client's `timeoutMs`. */
  timeoutMs?: number;
}

/** `GET /version`. */
export interface ServerVersion {
  version: string;
  commit: string;
}

/**
 * `GET /v1/status`. Decoded leniently: an unreachable keystore also counts as unavailable (HEAD servers send only
 * `keystore_unreachable`; the Go SDK rejects that, this client does not).
 */
export interface ServerStatus {
  version: string;
  os: string;
  arch: string;
  /** Server uptime in seconds (`uptime`; fractional values are kept). */
  uptimeSeconds: number;
  /** Logical CPUs (`num_cpu`). */
  cpus: number;
  /** CPUs usable by the server (`num_cpu_used`). */
  usableCpus: number;
  /** Heap bytes in use (`mem_heap_used`). */
  heapAlloc: number;
  /** Stack bytes in use (`mem_stack_used`). */
  stackAlloc: number;
  /** Keystore latency in ms (`keystore_latency`); absent when the keystore status failed. */
  keystoreLatencyMs?: number;
  keystoreUnreachable: boolean;
  keystoreUnavailable: boolean;
}

/** One route of `GET /v1/api`. */
export interface ApiInfo {
  method: string;
  path: string;
  /** Largest accepted request body in bytes (`max_body`). */
  maxBody: number;
  /** Route timeout in whole seconds (`timeout`; 0 = none). */
  timeoutSeconds: number;
}

/** One cumulative bucket of the response-time histogram (the `+Inf` bucket is dropped, like the Go SDK). */
export interface LatencyBucket {
  /** Upper bound in seconds (Prometheus `le`). */
  le: number;
  /** Responses that took at most `le` seconds (cumulative). */
  count: number;
}

/** `GET /v1/metrics`, like the Go SDK's `Metric`. Absent families are 0 (or an empty histogram). */
export interface Metric {
  /** Sum of `kes_http_request_success` over all labels (2xx). */
  requestOK: number;
  /** Sum of `kes_http_request_error` (4xx). */
  requestErr: number;
  /** Sum of `kes_http_request_failure` (5xx). */
  requestFail: number;
  /** `kes_http_request_active`. */
  requestActive: number;
  /** `kes_log_audit_events`. */
  auditEvents: number;
  /** `kes_log_error_events`. */
  errorEvents: number;
  /** `kes_http_response_time` buckets, ascending by `le`. */
  latencyHistogram: LatencyBucket[];
  /** `kes_system_up_time` in seconds. */
  uptimeSeconds: number;
  /** `kes_system_num_cpu`. */
  cpus: number;
  /** `kes_system_num_cpu_used`. */
  usableCpus: number;
  /** `kes_system_num_threads`. */
  threads: number;
  /** `kes_system_mem_heap_used` in bytes. */
  heapAlloc: number;
  /** `kes_system_mem_heap_objects`. */
  heapObjects: number;
  /** `kes_system_mem_stack_used` in bytes. */
  stackAlloc: number;
}

/** `GET /v1/key/describe/<name>`. */
export interface KeyInfo {
  name: string;
  algorithm: KeyAlgorithm | string;
  /** RFC 3339 text as sent (`0001-01-01T00:00:00Z` for legacy keys). */
  createdAt: string;
  /** Identity of the creator; absent when the server sent none. */
  createdBy?: string;
}

/** `POST /v1/key/generate/<name>`: a data key and its ciphertext under the named key. */
export interface DataKey {
  plaintext: Uint8Array;
  ciphertext: Uint8Array;
}

/** One item of a bulk decrypt request. */
export interface BulkCiphertext {
  ciphertext: Uint8Array;
  context?: Uint8Array;
}

/** One page of a listing. `continueAt` is empty on the last page. */
export interface ListPage {
  names: string[];
  continueAt: string;
}

/**
 * A lazy listing: `for await (const name of listing)`, `listing.pages()` or `await listing.all()`.
 * Requests are made only while iterating; each iteration starts from the beginning.
 */
export interface Listing extends AsyncIterable<string> {
  pages(): AsyncIterable<ListPage>;
  all(): Promise<string[]>;
}

/** `GET /v1/policy/describe/<name>`. */
export interface PolicyInfo {
  name: string;
  createdAt: string;
  createdBy?: string;
}

/** `GET /v1/policy/read/<name>`; the map form (`{"pattern":{}}`) and the legacy array form both decode to arrays. */
export interface PolicyDocument {
  name: string;
  allow: string[];
  deny: string[];
  createdAt?: string;
  createdBy?: string;
}

/** `GET /v1/identity/describe/<identity>`. */
export interface IdentityInfo {
  identity: string;
  admin: boolean;
  /** Name of the assigned policy (absent for the admin). */
  policy?: string;
  createdAt?: string;
  createdBy?: string;
  ttl?: string;
  expiresAt?: string;
}

/**
 * `GET /v1/identity/self/describe`. The flat shape (B) the Go SDK parses; shapes A (v0.22: `policy_name` + nested
 * array policy) and C (HEAD: nested map policy with `name`) decode to the same fields.
 */
export interface SelfInfo {
  identity: string;
  admin: boolean;
  createdAt?: string;
  createdBy?: string;
  policyName?: string;
  allow: string[];
  deny: string[];
}

/** One audit event as on the wire (§9.1). `response.time` is a Go duration in nanoseconds. */
export interface AuditEvent {
  time: string;
  request: { ip?: string; path: string; identity: string };
  response: { code: number; time: number };
}

/** One error-log event (§9.2). */
export interface ErrorEvent {
  message: string;
}

/**
 * A live ndjson log stream. Iterate with `for await`; iteration ends quietly when `close()` is called, the
 * request's AbortSignal fires, or the server ends the stream; it throws on a malformed line or a broken connection.
 */
export interface LogStream<T> extends AsyncIterable<T> {
  close(): void;
}
