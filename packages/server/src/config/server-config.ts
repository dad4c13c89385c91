import type { ServerLimits } from '../limits/server-limits.js';
import type { ConfigProblem } from './problems.js';

/**
 * A validated KES server config file (spec §6.2), deeply frozen. Durations are milliseconds, log levels slog
 * numbers; defaults are applied. File paths are as written (relative to the working directory, like upstream);
 * {@link buildServerOptions} reads them.
 */
export interface ServerConfig {
  /** The config file as named by the user (for messages), if it came from a file. */
  readonly file?: string;
  /** `address:` if set (`--addr` and `KES_SERVER_ADDR` take precedence). */
  readonly address?: ListenAddress;
  /** `admin.identity` (or the deprecated top-level `root:`). A value that is not a 64-hex identity disables admin access. */
  readonly adminIdentity: string;
  readonly tls: {
    readonly key: string;
    readonly cert: string;
    /** `''` when not set. */
    readonly password: string;
    readonly auth: 'on' | 'off';
    /** CA file or directory; `undefined` when not set. */
    readonly ca?: string;
    /** TLS proxies (spec §3.5); `undefined` when no proxy identity is configured. */
    readonly proxy?: { readonly identities: readonly string[]; readonly certHeader: string };
  };
  readonly policies: Readonly<Record<string, PolicyConfig>>;
  /** Cache expiry in ms; defaults any = 5 min, unused = 30 s, offline = 0 (spec §8.3, §12). */
  readonly cache: { readonly anyMs: number; readonly unusedMs: number; readonly offlineMs: number };
  /** Per-route overrides keyed by the registered route path. */
  readonly api: Readonly<Record<string, { readonly skipAuth: boolean; readonly timeoutMs?: number }>>;
  /** slog levels (default INFO for both) and the stderr format (`log.format`, a project extension; unset = text). */
  readonly log: { readonly errorLevel: number; readonly auditLevel: number; readonly format?: 'text' | 'json' };
  /** Names of keys created at start-up when missing. */
  readonly keys: readonly string[];
  /** `limits:` (a project extension): the connection cap and transport timeouts that were set; `undefined` when none. */
  readonly limits?: Partial<ServerLimits>;
  readonly keystore: KeystoreSelection;
  /** Things worth telling the user that did not stop the load (deprecated or unknown keys). */
  readonly warnings: readonly ConfigProblem[];
  /** Line of some config paths (dotted path → line), for errors found when the config is used (e.g. a missing file). */
  readonly lines: Readonly<Record<string, number>>;
}

/** One policy of the `policy:` section. */
export interface PolicyConfig {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly identities: readonly string[];
}

/** A listening address `ip:port`. */
export interface ListenAddress {
  /** IP literal without brackets; `''` = all interfaces. */
  readonly host: string;
  readonly port: number;
}

/** Which keystore the `keystore:` block selected, and its validated settings. */
export interface KeystoreSelection {
  /** The definition's block path (`fs`, `azure.keyvault`, …) or, for a third-party module, the definition's name. */
  readonly name: string;
  /** The definition's title (`Filesystem`, `Azure Key Vault`, …). */
  readonly title: string;
  /** Set for `keystore.module`: the module specifier and export the definition came from. */
  readonly module?: { readonly specifier: string; readonly exportName?: string };
  /** The config the definition's `validate` returned. */
  readonly settings: unknown;
  /** The definition's `describe(settings)` (where the keys live), if it has one. */
  readonly description?: string;
}
