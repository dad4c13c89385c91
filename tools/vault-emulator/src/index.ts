/**
 * `@kes/vault-emulator`: an offline HashiCorp Vault emulator (K/V v1 and v2, AppRole and Kubernetes login, token
 * renew/lookup, transit, health with a sealed switch, namespaces, Vault's error shapes) with fault knobs.
 */
export { startVaultEmulator, type VaultEmulator } from './emulator.js';
export { DEFAULT_MOUNTS, type AppRoleOptions, type KubernetesOptions, type MountSpec, type TokenSettings, type VaultEmulatorOptions } from './options.js';
export { defaultKnobs, validateKnobPatch, KnobError, type Fault, type Knobs } from './knobs.js';
export { RequestLog, type RequestLogEntry } from './request-log.js';
export { type EmulatorTls, type PemPair } from './tls.js';
export { CAS_MISMATCH, INVALID_V2_PATH_WARNING } from './kv-v2.js';
export { INVALID_ROLE_OR_SECRET } from './approle.js';
export { EMULATED_VERSION } from './sys-routes.js';
export { rewriteHead } from './list-verb.js';
