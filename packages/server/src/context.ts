/**
 * The objects a request is served with: the per-request {@link RequestContext}, the reloadable {@link ServerState}
 * (a snapshot taken when the request arrives, so a reload never changes a request half-way) and the
 * {@link ServerServices} that live as long as the server.
 */
import type { KeyCache, KeyType, Policy, StoredKey, Timestamp } from '@kes/core';
import type { TrustStore } from './auth/trust-store.js';
import type { BodyReader } from './http/body.js';
import type { HttpRequest, HttpResponse } from './http/types.js';
import type { AuditLog } from './log/audit-log.js';
import type { ErrorLog } from './log/error-log.js';
import type { ServerMetrics } from './metrics/metrics.js';
import type { RouteMatch, RouteTable } from './routing/route-table.js';

/** A named policy and the identities assigned to it. */
export interface PolicyEntry {
  readonly policy: Policy;
  readonly identities: readonly string[];
}

/** Everything `reload()` can replace. Immutable once built. */
export interface ServerState {
  /** The configured admin identity (as configured, even when it disables admin access). */
  readonly admin: string;
  /** True when `admin` is a 64-character lowercase hex identity, i.e. can match a caller. */
  readonly adminEnabled: boolean;
  /** Policies by name. */
  readonly policies: ReadonlyMap<string, PolicyEntry>;
  /** Policy name by assigned identity. */
  readonly identities: ReadonlyMap<string, string>;
  /** Effective routes. */
  readonly routes: RouteTable;
  /** True unless some route has `skip_auth`: a request without any client certificate is refused (spec §1.1). */
  readonly certRequired: boolean;
  /** `tls.auth: on`: client certificates are verified. */
  readonly verifyCerts: boolean;
  /** Roots for verifying client certificates forwarded by a TLS proxy (`tls.auth: on` only). */
  readonly trust: TrustStore | undefined;
  /** TLS proxies (spec §3.5). */
  readonly proxy: { readonly identities: ReadonlySet<string>; readonly certHeader: string } | undefined;
  /** The key cache over the keystore. */
  readonly cache: KeyCache<StoredKey>;
  /** Type of keys made by create and `keys:`. */
  readonly defaultKeyType: KeyType;
  /** Reported by `/version` and `/v1/status`. */
  readonly version: { readonly version: string; readonly commit: string };
}

/** Server-lifetime services. */
export interface ServerServices {
  readonly metrics: ServerMetrics;
  readonly audit: AuditLog;
  readonly errorLog: ErrorLog;
  /** Server start (policy/identity `created_at`). */
  readonly startTime: Timestamp;
  /** `performance.now()` at start (uptime). */
  readonly startedAt: number;
}

/** One request being served. */
export interface RequestContext {
  readonly req: HttpRequest;
  readonly res: HttpResponse;
  readonly match: RouteMatch;
  /** The caller's identity (`''` when unknown: `none`/`identify` routes without a usable certificate). */
  readonly identity: string;
  /** The client IP for logs, if known. */
  readonly ip: string | undefined;
  /**
   * Aborted when the route timeout expires or the client goes away. Created on first access (it costs microseconds):
   * read it only to pass it to an abortable call such as a keystore operation.
   */
  readonly signal: AbortSignal;
  readonly body: BodyReader;
  readonly state: ServerState;
  readonly services: ServerServices;
}
