/**
 * The validated configuration of the KES block `keystore: { vault: … }` (spec `kes-protocol.md` §6.3,
 * `aws-vault.md` §3.1) and its defaults.
 */

/** The K/V secrets engine version of the mount. */
export type KvVersion = 'v1' | 'v2';

/** AppRole login (`approle:` block): `PUT /v1/auth/<engine>/login` with `{role_id, secret_id}`. */
export interface VaultAppRoleAuth {
  readonly method: 'approle';
  /** Mount path of the AppRole auth method, without slashes. */
  readonly engine: string;
  /** As written: `''` = the client namespace, `'/'` = the root namespace, else that namespace. */
  readonly namespace: string;
  /** The role ID. */
  readonly id: string;
  /** The secret ID (a credential: never log it). */
  readonly secret: string;
}

/** Kubernetes login (`kubernetes:` block): `PUT /v1/auth/<engine>/login` with `{role, jwt}`. */
export interface VaultKubernetesAuth {
  readonly method: 'kubernetes';
  /** Mount path of the Kubernetes auth method, without slashes. */
  readonly engine: string;
  /** As written: `''` = the client namespace, `'/'` = the root namespace, else that namespace. */
  readonly namespace: string;
  /** The Vault role the service account logs in as. */
  readonly role: string;
  /**
   * The service-account JWT itself or, when the text contains a `/`, the path of a file that holds it (re-read on
   * every login, because projected service-account tokens rotate).
   */
  readonly jwt: string;
}

/** The one login method of a Vault keystore. */
export type VaultAuthConfig = VaultAppRoleAuth | VaultKubernetesAuth;

/** Transit wrapping of stored values (`transit:` block). */
export interface VaultTransitConfig {
  /** Mount path of the transit engine, without slashes. */
  readonly engine: string;
  /** Name of the transit key that encrypts every stored value. */
  readonly key: string;
}

/** Client TLS (`tls:` block). Paths as written; relative ones are resolved against the server's working directory. */
export interface VaultTlsConfig {
  /** Private key of the client certificate (PEM file); given together with `cert`. */
  readonly key?: string;
  /** Client certificate (PEM file); given together with `key`. */
  readonly cert?: string;
  /** A PEM file, or a directory whose PEM files are all trusted, to verify Vault's certificate. */
  readonly ca?: string;
}

/** The validated `keystore.vault` block. Every field has its default applied. */
export interface VaultKeystoreConfig {
  /** Vault's base URL (`http://` or `https://`, no path), without a trailing slash. */
  readonly endpoint: string;
  /** Mount path of the K/V engine, without leading or trailing slashes. */
  readonly engine: string;
  /** K/V engine version. */
  readonly version: KvVersion;
  /** Namespace sent as `X-Vault-Namespace` on every request but health; `''` = none. */
  readonly namespace: string;
  /** "Directory" inside the mount that holds the keys; `''` = the mount's root. */
  readonly prefix: string;
  /** How the keystore logs in. */
  readonly auth: VaultAuthConfig;
  /** Transit wrapping; absent = values are stored as they are. */
  readonly transit?: VaultTransitConfig;
  /** Client TLS settings (all optional). */
  readonly tls: VaultTlsConfig;
  /** Period of the background `sys/health` poll in milliseconds (> 0). */
  readonly statusPingMs: number;
}

/** Defaults of the block, as upstream KES applies them. */
export const VAULT_DEFAULTS = {
  engine: 'kv',
  version: 'v1' as KvVersion,
  approleEngine: 'approle',
  kubernetesEngine: 'kubernetes',
  transitEngine: 'transit',
  /** KES's code default (its docs say 10 s). */
  statusPingMs: 15_000,
} as const;

/**
 * The namespace a login is sent to (KES PR #431): the auth block's own namespace, `undefined` (no header) for `'/'`,
 * and the client namespace when the auth block leaves it empty. Never throws.
 */
export function authNamespace(config: Pick<VaultKeystoreConfig, 'namespace' | 'auth'>): string | undefined {
  const own = config.auth.namespace.trim();
  if (own === '/') return undefined;
  const ns = own === '' ? config.namespace : own;
  return ns === '' ? undefined : ns;
}
