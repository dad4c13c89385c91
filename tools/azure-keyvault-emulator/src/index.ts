/**
 * `@kes/azure-keyvault-emulator`: an offline Azure Key Vault (secrets) + Entra ID + managed-identity emulator with
 * fault knobs, for testing with the real `@azure/identity` and `@azure/keyvault-secrets`.
 */
export { startEmulator, type Emulator, type EmulatorOptions, type ManagedIdentityInfo, type VaultSpec } from './emulator.js';
export { type VaultHandle } from './admin.js';
export {
  defaultKnobs,
  validateKnobPatch,
  KnobError,
  SECRET_PERMISSIONS,
  type Knobs,
  type Outage,
  type SecretPermission,
  type ThrottleKnob,
} from './knobs.js';
export { type RequestLogEntry } from './request-log.js';
export { VaultError, VaultErrors, type VaultErrorBody } from './errors.js';
export { KEY_VAULT_RESOURCE, SUPPORTED_API_VERSIONS, LATEST_API_VERSION } from './constants.js';
