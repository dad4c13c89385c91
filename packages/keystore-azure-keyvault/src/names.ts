import { Errors, isValidName } from '@kes/core';
import { safeString } from './safe-string.js';

/** Key Vault secret names (REST spec `SetSecret`): 1–127 of `0-9 a-z A-Z -`. */
const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;

/**
 * Whether the KES key name `name` can be stored in Azure Key Vault unchanged: a valid KES name (spec §2.2) that also
 * matches Key Vault's secret-name rule, i.e. one without `_`. Names are kept verbatim (no mapping), exactly like
 * upstream KES, so that vaults filled by upstream KES are read unchanged (azure-keyvault.md §1.7).
 *
 * @returns `false` for anything else, including non-strings. Never throws.
 */
export function isStorableKeyName(name: string): boolean {
  return isValidName(name) && SECRET_NAME.test(name);
}

/**
 * Refuses, before any call to the vault, a key name Key Vault cannot store.
 * @throws KesError `INVALID_KEY_CONFIG` whose message says why (`_` is not allowed in Key Vault secret names, or the
 *   name is not a valid KES key name at all).
 */
export function assertStorableKeyName(name: string): void {
  if (isStorableKeyName(name)) return;
  const shown = safeString(name, `(${typeof name})`);
  if (isValidName(shown) && shown.includes('_')) {
    throw Errors.invalidKeyConfig(
      `azure: key name '${shown}' cannot be stored in Azure Key Vault: secret names may contain only letters, digits ` +
        `and '-', not '_' (use '-' instead; names are kept unchanged so that keys written by upstream KES stay readable)`,
    );
  }
  throw Errors.invalidKeyConfig(`azure: key name '${shown}' is not a valid key name`);
}

