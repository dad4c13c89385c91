/**
 * The emulator's token store: service tokens with TTL, max TTL and renewability, scoped to the namespace they were
 * issued in (usable there and in its child namespaces, like Vault), expiring on the wall clock.
 */
import { randomBytes } from 'node:crypto';

/** One token. Times are `Date.now()` milliseconds. */
export interface TokenInfo {
  readonly id: string;
  readonly accessor: string;
  /** Namespace path the token belongs to (`''` = root). */
  readonly namespace: string;
  readonly policies: readonly string[];
  /** The login path that issued it (`auth/approle/login`), `auth/token/root` for the root token. */
  readonly path: string;
  /** Creation TTL in seconds; 0 = never expires. */
  readonly ttlSeconds: number;
  /** Renewals never extend the token beyond `issuedAt + maxTtlSeconds`; 0 = no limit. */
  readonly maxTtlSeconds: number;
  readonly renewable: boolean;
  readonly issuedAt: number;
  expiresAt: number;
  readonly meta: Readonly<Record<string, string>>;
}

/** What {@link TokenStore.issue} needs. */
export interface IssueOptions {
  readonly namespace: string;
  readonly path: string;
  readonly policies: readonly string[];
  readonly ttlSeconds: number;
  readonly maxTtlSeconds: number;
  readonly renewable: boolean;
  readonly meta?: Readonly<Record<string, string>>;
  /** A fixed id (the root token); default random. */
  readonly id?: string;
}

/** Outcome of {@link TokenStore.renew}. */
export type RenewResult = { readonly info: TokenInfo; readonly leaseSeconds: number; readonly warning?: string } | 'invalid' | 'not-renewable';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random Vault-style service token id (`hvs.` + 24 base62 characters). */
export function newTokenId(): string {
  return `hvs.${[...randomBytes(24)].map((b) => ALPHABET[b % 62]).join('')}`;
}

/** The token store. Not persistent: a restarted emulator forgets every token. */
export class TokenStore {
  readonly #tokens = new Map<string, TokenInfo>();

  /** Issues a token. */
  issue(options: IssueOptions): TokenInfo {
    const now = Date.now();
    const info: TokenInfo = {
      id: options.id ?? newTokenId(),
      accessor: randomBytes(12).toString('base64url'),
      namespace: options.namespace,
      policies: options.policies,
      path: options.path,
      ttlSeconds: options.ttlSeconds,
      maxTtlSeconds: options.maxTtlSeconds,
      renewable: options.renewable,
      issuedAt: now,
      expiresAt: options.ttlSeconds > 0 ? now + options.ttlSeconds * 1000 : Infinity,
      meta: options.meta ?? {},
    };
    this.#tokens.set(info.id, info);
    return info;
  }

  /** @returns the live token with this id, or undefined (unknown, revoked or expired; expired ones are dropped). */
  lookup(id: string | undefined): TokenInfo | undefined {
    if (id === undefined || id === '') return undefined;
    const info = this.#tokens.get(id);
    if (info === undefined) return undefined;
    if (Date.now() >= info.expiresAt) {
      this.#tokens.delete(id);
      return undefined;
    }
    return info;
  }

  /**
   * Renews a token by `incrementSeconds` (0 = its creation TTL) from now, capped at its max TTL (with Vault's
   * warning text).
   */
  renew(id: string, incrementSeconds: number): RenewResult {
    const info = this.lookup(id);
    if (info === undefined) return 'invalid';
    if (!info.renewable || info.ttlSeconds === 0) return 'not-renewable';
    const now = Date.now();
    let ttl = incrementSeconds > 0 ? incrementSeconds : info.ttlSeconds;
    let warning: string | undefined;
    if (info.maxTtlSeconds > 0) {
      const left = Math.floor((info.issuedAt + info.maxTtlSeconds * 1000 - now) / 1000);
      if (ttl > left) {
        warning = `TTL of "${ttl}s" exceeded the effective max_ttl of "${Math.max(0, left)}s"; TTL value is capped accordingly`;
        ttl = Math.max(0, left);
      }
    }
    info.expiresAt = now + ttl * 1000;
    return warning === undefined ? { info, leaseSeconds: ttl } : { info, leaseSeconds: ttl, warning };
  }

  /** Seconds the token has left (rounded), 0 for a token that never expires. */
  ttlLeft(info: TokenInfo): number {
    return Number.isFinite(info.expiresAt) ? Math.max(0, Math.round((info.expiresAt - Date.now()) / 1000)) : 0;
  }

  /** Revokes one token. @returns whether it existed. */
  revoke(id: string): boolean {
    return this.#tokens.delete(id);
  }

  /** Expires every token except those with the given ids (e.g. the root token). @returns how many were expired. */
  expireAll(keep: readonly string[] = []): number {
    let n = 0;
    for (const id of [...this.#tokens.keys()]) {
      if (keep.includes(id)) continue;
      this.#tokens.delete(id);
      n++;
    }
    return n;
  }

  /** Ids of the live tokens issued by `path` (for tests that count logins). */
  issuedBy(path: string): string[] {
    return [...this.#tokens.values()].filter((t) => t.path === path && this.lookup(t.id) !== undefined).map((t) => t.id);
  }
}

/** True iff a token of namespace `tokenNs` may be used in namespace `requestNs` (same or a child; root = all). */
export function usableIn(tokenNs: string, requestNs: string): boolean {
  return tokenNs === '' || requestNs === tokenNs || requestNs.startsWith(`${tokenNs}/`);
}
