import type { KeystoreConfigResult } from '@kes/core';
import { BlockChecker, andList } from './block-check.js';

/** How the Azure Key Vault backend authenticates (spec §6.3 `azure.keyvault`). */
export type AzureKeyVaultAuth =
  | { readonly kind: 'client-secret'; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'managed-identity'; readonly clientId: string }
  | { readonly kind: 'default-chain' };

/** The validated `keystore.azure.keyvault` block. */
export interface AzureKeyVaultBlock {
  /** The vault URL, e.g. `https://my-vault.vault.azure.net`. */
  readonly endpoint: string;
  readonly auth: AzureKeyVaultAuth;
}

const CREDENTIAL_FIELDS = ['tenant_id', 'client_id', 'client_secret'] as const;

/**
 * Validates `keystore.azure.keyvault` per spec §6.3: `endpoint` required; either `credentials` with non-empty
 * `tenant_id`, `client_id` and `client_secret` (every empty one named in ONE problem), or `managed_identity` with a
 * non-empty `client_id`; both blocks at once is an error naming both; neither selects the default Azure credential
 * chain. Never throws.
 */
export function validateAzureKeyVaultBlock(block: unknown): KeystoreConfigResult<AzureKeyVaultBlock> {
  const c = new BlockChecker(block);
  if (block !== null && block !== undefined) c.object([]);
  const endpoint = c.string(['endpoint'], {
    required: true,
    hint: "set it to the vault's URL, e.g. https://<vault-name>.vault.azure.net (shown as 'Vault URI' in the Azure portal)",
  });
  if (endpoint !== '' && !/^https?:\/\/[^\s/]+/i.test(endpoint)) {
    c.problem(['endpoint'], `endpoint '${endpoint}' is not a URL`, 'write it as https://<vault-name>.vault.azure.net');
  }
  const hasCredentials = c.has(['credentials']);
  const hasManaged = c.has(['managed_identity']);
  if (hasCredentials && hasManaged) {
    c.problem(
      [],
      "both 'credentials' and 'managed_identity' are given, but only one authentication method can be used",
      "keep 'credentials' (tenant_id, client_id and client_secret of an app registration) or 'managed_identity' " +
        '(client_id of a managed identity) and delete the other block',
      [['credentials'], ['managed_identity']],
    );
  }
  let auth: AzureKeyVaultAuth = { kind: 'default-chain' };
  if (hasCredentials) {
    c.object(['credentials']);
    const values = Object.fromEntries(CREDENTIAL_FIELDS.map((f) => [f, c.string(['credentials', f])]));
    const empty = CREDENTIAL_FIELDS.filter((f) => values[f]!.trim() === '');
    if (empty.length > 0) {
      c.problem(
        ['credentials'],
        `${andList(empty)} ${empty.length === 1 ? 'is' : 'are'} empty`,
        "fill in the app registration's Directory (tenant) ID, Application (client) ID and client secret value " +
          '(or reference environment variables such as client_secret: ${AZURE_CLIENT_SECRET}), or delete the ' +
          "'credentials' block to use a managed identity or the default Azure credential chain",
        empty.map((f) => ['credentials', f]),
      );
    }
    auth = { kind: 'client-secret', tenantId: values['tenant_id']!, clientId: values['client_id']!, clientSecret: values['client_secret']! };
  } else if (hasManaged) {
    c.object(['managed_identity']);
    const clientId = c.string(['managed_identity', 'client_id'], {
      required: true,
      hint: "set it to the managed identity's client ID, or delete 'managed_identity' to use the default Azure credential chain",
    });
    auth = { kind: 'managed-identity', clientId };
  }
  return c.result<AzureKeyVaultBlock>({ endpoint, auth });
}
