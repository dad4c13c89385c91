import type { KeyType, Keystore } from '@kes/core';

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
  log?: { errorLevel?: number; auditLevel?: number; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream };
  /** Keys created at start-up if missing (spec §6.2 `keys:`). */
  keys?: string[];
  /** Type of newly created keys. Default AES256. */
  defaultKeyType?: KeyType;
  /** Reported by `/version` and `/v1/status`. */
  version?: { version: string; commit: string };
}

/** A running server. */
export interface KesServer {
  /** The bound port (useful with `listen.port: 0`). */
  readonly port: number;
  /** `https://host:port` of the listener. */
  readonly url: string;
  /** Replaces policies, identities, TLS material, cache settings and log levels without dropping connections. */
  reload(options: ServerOptions): Promise<void>;
  /** Stops accepting connections, drains in-flight requests (bounded), closes the keystore. Idempotent. */
  close(): Promise<void>;
}
