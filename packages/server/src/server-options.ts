import type { KeyType, Keystore } from '@kes/core';
import type { Registry } from 'prom-client';
import type { ServerLimits } from './limits/server-limits.js';
import type { LogHub } from './log/log-hub.js';

/**
 * Everything {@link startServer} needs, already loaded and validated: file contents instead of paths, a constructed
 * keystore instead of a `keystore:` block. The config loader (`./config`) turns a YAML file into these options; tests
 * build them directly. Durations are milliseconds.
 */
export interface ServerOptions {
  /** The keystore the server caches keys from. The server owns it: `close()` closes it. */
  keystore: Keystore;
  /** Listening address; `port: 0` picks a free port (see {@link KesServer.port}). */
  listen: { host: string; port: number };
  tls: {
    /** PEM private key (may be a legacy RFC 1423 encrypted PEM or encrypted PKCS#8; decrypted with `password`). */
    key: string | Buffer;
    /** PEM certificate chain; must carry a DNS or IP SAN. */
    cert: string | Buffer;
    password?: string;
    /** `off` (default): require a client certificate, do not verify it. `on`: require and verify against `ca` + system roots. */
    auth: 'on' | 'off';
    /** PEM CA certificates trusted for client certificates (from `tls.ca`, a file or a directory). */
    ca?: Array<string | Buffer>;
    /** TLS proxies (spec §3.5): identities of the proxies and the header carrying the forwarded client certificate. */
    proxy?: { identities: string[]; certHeader: string };
  };
  /** The admin identity; any value that is not a 64-hex identity disables admin access. */
  adminIdentity: string;
  /** Policies by name. Each identity belongs to at most one policy (validated by the config loader). */
  policies: Record<string, { allow: string[]; deny: string[]; identities: string[] }>;
  /** Key cache expiry (spec §8.2); defaults any=5m, unused=30s, offline=0. */
  cache?: { anyMs?: number; unusedMs?: number; offlineMs?: number };
  /** Per-route overrides keyed by the registered path (e.g. `/v1/status`, `/v1/key/create/`). */
  api?: Record<string, { skipAuth?: boolean; timeoutMs?: number }>;
  /** Log levels as slog numbers (DEBUG -4, INFO 0, WARN 4, ERROR 8; `off` = 9). Defaults: error INFO, audit INFO. */
  log?: {
    errorLevel?: number;
    auditLevel?: number;
    /** stderr record format: slog `text` lines (default, like upstream) or slog `json` objects. */
    format?: 'text' | 'json';
    stdout?: NodeJS.WritableStream;
    stderr?: NodeJS.WritableStream;
  };
  /** Keys created at start-up if missing (spec §6.2 `keys:`). */
  keys?: string[];
  /** Type of newly created keys. Default AES256. */
  defaultKeyType?: KeyType;
  /** Reported by `/version` and `/v1/status`. */
  version?: { version: string; commit: string };
  /**
   * Set by a cluster worker (multi-process mode): how this server joins the others. Taken from the options the server
   * starts with; a reload keeps it.
   */
  cluster?: ClusterHooks;
  /** Connection limits and transport timeouts; unset fields keep the defaults (`DEFAULT_LIMITS`: 4096 connections, 5 s handshake and header timeouts, 90 s keep-alive). */
  limits?: Partial<ServerLimits>;
}

/** How a server process joins a multi-process (cluster) server. */
export interface ClusterHooks {
  /** TLS session-ticket keys shared by every process (48 bytes), so a session resumes on any of them. */
  readonly ticketKeys: Buffer;
  /** Called once at start with the server's metrics registry and its audit and error log hubs. */
  attach(parts: { registry: Registry; audit: LogHub; error: LogHub }): void;
  /** The Prometheus exposition of the whole cluster, answered by `/v1/metrics`. */
  exposition(): Promise<string>;
}

/** A running server. */
export interface KesServer {
  /** The bound port (useful with `listen.port: 0`). */
  readonly port: number;
  /** `https://host:port` of the listener. */
  readonly url: string;
  /**
   * Replaces policies, identities, TLS material, cache settings, log levels and limits without dropping connections.
   * @throws Error (rejects) when the new options are unusable; the running ones then stay in force.
   */
  reload(options: ServerOptions): Promise<void>;
  /** Stops accepting connections, drains in-flight requests (bounded), closes the keystore. Idempotent. */
  close(): Promise<void>;
}
