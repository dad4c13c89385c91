/**
 * What a route sees of a request, after the router resolved the namespace, the mount and the token.
 */
import type { TokenInfo } from './tokens.js';

/** Vault's logical operation (`http/logical.go`): GET/HEAD → read (list with `?list=true|1`), POST/PUT → update. */
export type Operation = 'read' | 'list' | 'update' | 'delete';

/** A request as a mount's handler gets it. */
export interface MountRequest {
  readonly operation: Operation;
  /** The HTTP method (`LIST` for list reads, whichever way they arrived). */
  readonly method: string;
  /** The path inside the mount, without leading slash (a list path keeps its trailing `/`). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The parsed JSON body (`undefined` for none). */
  readonly body: unknown;
  /** Namespace path (`''` = root). */
  readonly namespace: string;
  /** The caller's token (undefined on unauthenticated paths such as logins). */
  readonly token: TokenInfo | undefined;
}

/** Splits a path into its non-empty segments and joins them again (`a//b/` → `a/b`). */
export function cleanPath(path: string): string {
  return path.split('/').filter((s) => s !== '').join('/');
}

/**
 * The entries directly below directory `dir` of a set of slash-separated keys: names, and folders with a trailing
 * `/` (each once), sorted. `dir` is `''` for the top level.
 */
export function listChildren(keys: Iterable<string>, dir: string): string[] {
  const base = cleanPath(dir);
  const prefix = base === '' ? '' : `${base}/`;
  const out = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    if (rest === '') continue;
    const slash = rest.indexOf('/');
    out.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  return [...out].sort();
}

/** The current time as Vault formats it (RFC 3339, UTC). */
export function vaultTime(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}
