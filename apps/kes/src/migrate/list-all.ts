/**
 * Listing every name of a keystore through the `list(prefix, limit)` contract, even when a backend pages: a full page
 * is split by the next character of the name (valid names use 64 characters, spec §2.2).
 */
import type { Keystore } from '@kes/core';

const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
/** Names are at most 80 bytes; a deeper split means the backend misbehaves. */
const MAX_DEPTH = 100;

/**
 * @returns every name that starts with `prefix`, sorted and without duplicates.
 * @throws whatever the keystore's `list` throws.
 */
export async function listAllNames(keystore: Keystore, prefix = '', signal?: AbortSignal): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (p: string): Promise<void> => {
    const page = await keystore.list(p, 0, signal);
    for (const name of page.names) found.add(name);
    if (page.continueAt === '' || p.length - prefix.length >= MAX_DEPTH) return;
    for (const ch of ALPHABET) await walk(p + ch);
  };
  await walk(prefix);
  return [...found].sort();
}
