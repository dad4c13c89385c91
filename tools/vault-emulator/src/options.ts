import type { KeyObject } from 'node:crypto';
import type { Knobs } from './knobs.js';

/** A secrets engine or auth method mounted in every namespace of the emulator. */
export type MountSpec =
  | { readonly type: 'kv'; readonly path: string; readonly version: 1 | 2 }
  | { readonly type: 'transit'; readonly path: string }
  | { readonly type: 'approle'; readonly path: string }
  | { readonly type: 'kubernetes'; readonly path: string };

/** The mounts of a fresh emulator: `kv` (K/V v2), `kv1` (K/V v1), `transit`, `auth/approle`, `auth/kubernetes`. */
export const DEFAULT_MOUNTS: readonly MountSpec[] = [
  { type: 'kv', path: 'kv', version: 2 },
  { type: 'kv', path: 'kv1', version: 1 },
  { type: 'transit', path: 'transit' },
  { type: 'approle', path: 'approle' },
  { type: 'kubernetes', path: 'kubernetes' },
];

/** Token settings of a login method's role. TTLs are whole seconds, as in Vault. */
export interface TokenSettings {
  /** `token_ttl`: the TTL of issued tokens; 0 = never expires. @default 3600 */
  readonly tokenTtlSeconds?: number;
  /** `token_max_ttl`: renewals never extend a token beyond this age; 0 = no limit. @default 0 */
  readonly tokenMaxTtlSeconds?: number;
  /** Whether issued tokens may be renewed (false: like batch tokens). @default true */
  readonly renewable?: boolean;
}

/** The AppRole role `kes` that exists on every AppRole mount. */
export interface AppRoleOptions extends TokenSettings {
  /** @default a random UUID */
  readonly roleId?: string;
  /** The first valid secret ID. @default a random UUID */
  readonly secretId?: string;
}

/** The Kubernetes auth role that exists on every Kubernetes mount. */
export interface KubernetesOptions extends TokenSettings {
  /** Role name. @default 'kes' */
  readonly role?: string;
  /** Public keys (PEM SPKI or `KeyObject`) that service-account JWTs must be signed with (RS256/ES256/…). */
  readonly publicKeys?: readonly (string | KeyObject)[];
  /** `bound_service_account_names`; `*` = any. @default ['*'] */
  readonly boundServiceAccountNames?: readonly string[];
  /** `bound_service_account_namespaces`; `*` = any. @default ['*'] */
  readonly boundNamespaces?: readonly string[];
}

/** Options of {@link startVaultEmulator}. */
export interface VaultEmulatorOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /**
   * Serve HTTPS with a CA generated at start (`emulator.tls` has the CA, server and a client certificate).
   * `requireClientCert` makes the TLS handshake demand a client certificate signed by that CA.
   */
  readonly tls?: boolean | { readonly requireClientCert?: boolean };
  /** The root token (valid everywhere, never expires). @default random `hvs.…` */
  readonly rootToken?: string;
  /** Enterprise namespaces besides the root one (e.g. `['ns1', 'ns1/team']`); each gets the same mounts. */
  readonly namespaces?: readonly string[];
  /** @default DEFAULT_MOUNTS */
  readonly mounts?: readonly MountSpec[];
  readonly approle?: AppRoleOptions;
  readonly kubernetes?: KubernetesOptions;
  /** Transit keys created at start. Encrypting with an unknown key creates it (Vault's upsert). @default ['kes'] */
  readonly transitKeys?: readonly string[];
  /** Initial fault knobs. */
  readonly knobs?: Partial<Knobs>;
}
