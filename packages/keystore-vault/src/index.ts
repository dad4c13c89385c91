/**
 * `@kes/keystore-vault`: the HashiCorp Vault keystore of KES (`keystore.vault`), built on `node-vault`.
 */
export { keystoreDefinition } from './definition.js';
export { VaultKeystore, type VaultKeystoreOptions } from './vault-keystore.js';
export {
  VAULT_DEFAULTS,
  authNamespace,
  type KvVersion,
  type VaultAppRoleAuth,
  type VaultAuthConfig,
  type VaultKeystoreConfig,
  type VaultKubernetesAuth,
  type VaultTlsConfig,
  type VaultTransitConfig,
} from './config.js';
export { validateVaultBlock } from './validate-config.js';
export { parseGoDurationMs } from './go-duration.js';
export { TokenManager, type TokenManagerOptions } from './token-manager.js';
export { type TokenGrant, type TokenSource } from './auth-login.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { VaultRequestError } from './vault-request-error.js';
export { translateVaultError, unreachableError, type VaultOperation } from './translate-error.js';
export { loadTlsMaterial } from './tls-files.js';
export { type VaultTlsMaterial } from './vault-transport.js';
