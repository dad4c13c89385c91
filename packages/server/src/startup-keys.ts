/**
 * The config's `keys:` (spec §6.2): keys created at start-up (and on reload) if missing, of the default type, created
 * by the admin identity. An existing key is fine; any other failure stops the start.
 */
import { encodeStoredKey, isKesError, newStoredKey } from '@kes/core';
import type { ServerState } from './context.js';

/**
 * Creates every key of `names` that does not exist yet, one after the other.
 * @throws Error `failed to create key '<name>': <reason>` on the first failure other than "exists".
 */
export async function createStartupKeys(names: readonly string[], state: ServerState): Promise<void> {
  for (const name of names) {
    const key = newStoredKey({ type: state.defaultKeyType, createdBy: state.admin });
    try {
      await state.cache.create(name, encodeStoredKey(key));
    } catch (err) {
      if (isKesError(err, 'KEY_EXISTS')) continue;
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`failed to create key '${name}': ${reason}`, { cause: err });
    }
  }
}
