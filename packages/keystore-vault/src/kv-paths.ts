import type { KvVersion } from './config.js';

/** Where the keys live: the K/V mount, its version and the "directory" inside it. */
export interface KvLayout {
  /** Mount path without leading or trailing slashes (may contain inner slashes). */
  readonly engine: string;
  readonly version: KvVersion;
  /** Directory inside the mount without leading or trailing slashes; `''` = the mount's root. */
  readonly prefix: string;
}

/**
 * True iff Vault can hold an entry named `name` as one path segment: not empty, no `/`, not `.` or `..` (which
 * Go's `path.Join` would resolve). KES key names (`[0-9A-Za-z_-]{1,80}`) always qualify. Never throws.
 */
export function isStorableName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/');
}

/** Joins path parts like Go's `path.Join` for clean parts, percent-encoding each segment for the URL. */
function join(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/**
 * Path (below `/v1/`) of the entry that holds key `name`: `<engine>/data/<prefix>/<name>` for K/V v2 (reads and
 * writes), `<engine>/<prefix>/<name>` for v1. The name must satisfy {@link isStorableName}. Never throws.
 */
export function entryPath(layout: KvLayout, name: string): string {
  return layout.version === 'v2' ? join(layout.engine, 'data', layout.prefix, name) : join(layout.engine, layout.prefix, name);
}

/** Path of a read of key `name`: K/V v2 always reads version 1 (`?version=1`), as KES does. Never throws. */
export function readPath(layout: KvLayout, name: string): string {
  return layout.version === 'v2' ? `${entryPath(layout, name)}?version=1` : entryPath(layout, name);
}

/**
 * Path of the delete of key `name`: K/V v2 deletes the metadata (every version, no soft delete), v1 the entry.
 * Never throws.
 */
export function deletePath(layout: KvLayout, name: string): string {
  return layout.version === 'v2' ? join(layout.engine, 'metadata', layout.prefix, name) : entryPath(layout, name);
}

/** Path of the listing of the key directory, with the trailing `/` Vault uses for list operations. Never throws. */
export function listPath(layout: KvLayout): string {
  return `${layout.version === 'v2' ? join(layout.engine, 'metadata', layout.prefix) : join(layout.engine, layout.prefix)}/`;
}

/** Path of a transit operation (`encrypt` or `decrypt`) with key `key` on mount `engine`. Never throws. */
export function transitPath(engine: string, operation: 'encrypt' | 'decrypt', key: string): string {
  return join(engine, operation, key);
}
