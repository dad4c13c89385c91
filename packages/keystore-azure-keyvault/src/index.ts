/**
 * `@kes/keystore-azure-keyvault`: the Azure Key Vault keystore (`keystore.azure.keyvault`) on
 * `@azure/keyvault-secrets` and `@azure/identity`, storing keys exactly like upstream KES.
 */
export { AzureKeyVaultKeystore, AZURE_MAX_VALUE_LENGTH, STATUS_PROBE_SECRET, type AzureKeyVaultKeystoreOptions } from './azure-keystore.js';
export { keystoreDefinition, createAzureKeyVaultKeystore, credentialOf } from './definition.js';
export { validateAzureKeyVaultConfig, type AzureKeyVaultConfig, type AzureKeyVaultAuth } from './config.js';
export { MAX_ANSWER_BYTES, AnswerTooLargeError, boundedHttpClient } from './bounded-http-client.js';
export { DEFAULT_TIMING, type AzureKeyVaultTiming } from './retry.js';
export { isStorableKeyName, assertStorableKeyName } from './names.js';
