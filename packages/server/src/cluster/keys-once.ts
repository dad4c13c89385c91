/**
 * The config's `keys:` created once for the whole multi-process server (spec §6.2 `keys:`), by the primary, before
 * the workers start and before they reload — so no two processes race to create the same key (some backends check
 * and write in separate steps).
 */
import { encodeStoredKey, isKesError, newStoredKey, type Keystore } from '@kes/core';
import type { ServerConfig } from '../config/server-config.js';

/**
 * Creates the missing keys of `config.keys` (default type, created by the admin identity, like one process does) in
 * a keystore made by `open`, then closes it.
 * @returns `undefined` on success, else the message one process would print: `failed to create key '<name>': <reason>`
 *   (or why the keystore could not be opened).
 */
export async function createKeysOnce(config: ServerConfig, open: () => Promise<Keystore>): Promise<string | undefined> {
  if (config.keys.length === 0) return undefined;
  let keystore: Keystore;
  try {
    keystore = await open();
  } catch (err) {
    return (err as Error).message;
  }
  try {
    for (const name of config.keys) {
      try {
        await keystore.create(name, encodeStoredKey(newStoredKey({ type: 'AES256', createdBy: config.adminIdentity })));
      } catch (err) {
        if (isKesError(err, 'KEY_EXISTS')) continue;
        return `failed to create key '${name}': ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    return undefined;
  } finally {
    await keystore.close().catch(() => undefined);
  }
}
