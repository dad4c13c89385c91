import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { KeystoreContext, KeystoreDefinition } from '@kes/core';
import { AzureKeyVaultKeystore } from './azure-keystore.js';
import { boundedHttpClient } from './bounded-http-client.js';
import { validateAzureKeyVaultConfig, type AzureKeyVaultConfig } from './config.js';

/**
 * The backend definition of {@link AzureKeyVaultKeystore} for `keystore: { azure: { keyvault: … } }` (upstream KES's
 * block, plus `authority_host`, `ca_file` and `disable_challenge_resource_verification`; see
 * {@link validateAzureKeyVaultConfig}). `create` reads the CA file and builds the credential and SDK client; it does
 * not contact the vault (the server probes it through `status`).
 */
export const keystoreDefinition: KeystoreDefinition<AzureKeyVaultConfig> = {
  name: 'azure.keyvault',
  title: 'Azure Key Vault',
  validate: validateAzureKeyVaultConfig,
  async create(config, context) {
    return createAzureKeyVaultKeystore(config, context);
  },
  describe(config) {
    return config.endpoint;
  },
};

/**
 * Builds the keystore of a validated config: `ClientSecretCredential` (with `authority_host`: that authority and no
 * instance discovery), `ManagedIdentityCredential` with the client id, or `DefaultAzureCredential`; `ca_file` is
 * trusted (besides the system roots) by both the credential and the vault client.
 * @throws Error naming the file when `ca_file` cannot be read or holds no PEM certificate.
 */
export async function createAzureKeyVaultKeystore(config: AzureKeyVaultConfig, context: KeystoreContext): Promise<AzureKeyVaultKeystore> {
  let ca: string | undefined;
  if (config.caFile !== undefined) {
    const path = isAbsolute(config.caFile) ? config.caFile : resolve(context.cwd, config.caFile);
    try {
      ca = await readFile(path, 'utf8');
    } catch (err) {
      throw new Error(`azure.keyvault: cannot read ca_file '${config.caFile}': ${(err as Error).message}`, { cause: err });
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`azure.keyvault: ca_file '${config.caFile}' holds no PEM certificate`);
  }
  if (config.disableChallengeResourceVerification === true) {
    context.warn('azure.keyvault: challenge resource verification is disabled (disable_challenge_resource_verification); use this only with an emulator');
  }
  return new AzureKeyVaultKeystore({
    endpoint: config.endpoint,
    credential: credentialOf(config, ca),
    ...(ca === undefined ? {} : { ca }),
    disableChallengeResourceVerification: config.disableChallengeResourceVerification === true,
    warn: context.warn,
  });
}

/**
 * The credential a config selects; its answers (tokens, errors) are held to the same size limit as the vault's
 * (see {@link boundedHttpClient}). Does no I/O.
 */
export function credentialOf(config: AzureKeyVaultConfig, ca?: string): TokenCredential {
  const common = {
    httpClient: boundedHttpClient(),
    ...(config.authorityHost === undefined ? {} : { authorityHost: config.authorityHost, disableInstanceDiscovery: true }),
    ...(ca === undefined ? {} : { tlsOptions: { ca: [...rootCertificates, ca] } }),
  };
  const auth = config.auth;
  switch (auth.kind) {
    case 'client-secret':
      return new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, common);
    case 'managed-identity':
      return new ManagedIdentityCredential({ clientId: auth.clientId, httpClient: common.httpClient });
    case 'default-chain':
      return new DefaultAzureCredential(common);
  }
}
