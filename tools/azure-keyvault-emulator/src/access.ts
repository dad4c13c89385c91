/**
 * Authorization of one secrets operation against the vault's knobs: RBAC denial (403 `ForbiddenByRbac`),
 * access-policy permissions (403 `ForbiddenByPolicy`) and read-only mode (writes → 403).
 */
import { EMULATOR_REGION, EMULATOR_RESOURCE_GROUP, EMULATOR_SUBSCRIPTION } from './constants.js';
import { VaultErrors } from './errors.js';
import type { Knobs, SecretPermission } from './knobs.js';

/** The authenticated caller, from the token. */
export interface Caller {
  appId: string;
  objectId: string;
  tenantId: string;
}

/** RBAC data action checked for each permission. */
export const RBAC_ACTIONS: Readonly<Record<SecretPermission, string>> = {
  get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
  delete: 'Microsoft.KeyVault/vaults/secrets/delete',
  purge: 'Microsoft.KeyVault/vaults/deletedSecrets/delete',
  recover: 'Microsoft.KeyVault/vaults/deletedSecrets/recover/action',
  backup: 'Microsoft.KeyVault/vaults/secrets/backup/action',
  restore: 'Microsoft.KeyVault/vaults/secrets/restore/action',
};

const WRITES: ReadonlySet<SecretPermission> = new Set(['set', 'delete', 'purge', 'recover', 'restore']);

/** The caller as Key Vault prints it: `appid=…;oid=…;iss=https://sts.windows.net/<tid>/`. */
export function describeCaller(c: Caller): string {
  return `appid=${c.appId};oid=${c.objectId};iss=https://sts.windows.net/${c.tenantId}/`;
}

/**
 * Checks that `caller` may perform `permission` on `secretName` (or the whole collection) in `vaultName`.
 * @throws VaultError 403 (`ForbiddenByRbac`, `ForbiddenByPolicy`, or read-only) when not allowed.
 */
export function authorize(knobs: Knobs, caller: Caller, permission: SecretPermission, vaultName: string, secretName?: string): void {
  const who = describeCaller(caller);
  if (knobs.rbacDenied.includes(permission)) {
    const vaultPath = `/subscriptions/${EMULATOR_SUBSCRIPTION}/resourcegroups/${EMULATOR_RESOURCE_GROUP}/providers/microsoft.keyvault/vaults/${vaultName}`;
    const resource = secretName === undefined ? vaultPath : `${vaultPath}/secrets/${secretName}`;
    throw VaultErrors.forbiddenByRbac(who, RBAC_ACTIONS[permission], resource, vaultName, EMULATOR_REGION);
  }
  if (!knobs.permissions.includes(permission)) throw VaultErrors.forbiddenByPolicy(who, permission, vaultName, EMULATOR_REGION);
  if (knobs.readOnly && WRITES.has(permission)) throw VaultErrors.readOnly(permission);
}
