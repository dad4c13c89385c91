/**
 * Building the reloadable {@link ServerState} from {@link ServerOptions}: policies and their identities, the admin,
 * the effective routes, the client-auth mode, TLS proxies, and the key cache.
 */
import { KeyCache, Policy, decodeStoredKey, type Keystore, type StoredKey } from '@kes/core';
import { TrustStore } from './auth/trust-store.js';
import type { PolicyEntry, ServerState } from './context.js';
import { RouteTable } from './routing/route-table.js';
import { ROUTES } from './routing/routes.js';
import { meteredKeystore, type KeystoreMetrics } from './metrics/keystore-metrics.js';
import type { ServerOptions } from './server-options.js';

const ADMIN_IDENTITY = /^[0-9a-f]{64}$/;

/** Version reported when the options name none (Go's fallback text). */
export const UNKNOWN_VERSION = Object.freeze({ version: '<unknown>', commit: '<unknown>' });

/**
 * A view of `keystore` whose `close()` does nothing: caches are replaced on reload, and `KeyCache.close()` closes
 * its keystore, which the server closes itself exactly once.
 */
export function nonClosing(keystore: Keystore): Keystore {
  return {
    create: (name, value, signal) => keystore.create(name, value, signal),
    get: (name, signal) => keystore.get(name, signal),
    delete: (name, signal) => keystore.delete(name, signal),
    list: (prefix, limit, signal) => keystore.list(prefix, limit, signal),
    status: (signal) => keystore.status(signal),
    close: async () => undefined,
  };
}

/** A new key cache over `options.keystore` with the configured expiry; keystore calls are metered when `metrics` is given. */
export function createCache(options: ServerOptions, metrics?: KeystoreMetrics): KeyCache<StoredKey> {
  const c = options.cache ?? {};
  const keystore = nonClosing(options.keystore);
  return new KeyCache<StoredKey>(metrics === undefined ? keystore : meteredKeystore(keystore, metrics), {
    parse: decodeStoredKey,
    expiry: { any: c.anyMs, unused: c.unusedMs, offline: c.offlineMs },
  });
}

/** True when two option sets configure the cache the same way over the same keystore. */
export function sameCache(a: ServerOptions, b: ServerOptions): boolean {
  return (
    a.keystore === b.keystore &&
    a.cache?.anyMs === b.cache?.anyMs &&
    a.cache?.unusedMs === b.cache?.unusedMs &&
    a.cache?.offlineMs === b.cache?.offlineMs
  );
}

/**
 * Builds the state for `options`, using `cache` as the key cache.
 * An identity listed under several policies ends up with the last one (the config loader rejects that case).
 */
export function buildState(options: ServerOptions, cache: KeyCache<StoredKey>): ServerState {
  const policies = new Map<string, PolicyEntry>();
  const identities = new Map<string, string>();
  for (const [name, spec] of Object.entries(options.policies)) {
    policies.set(name, {
      policy: new Policy({ allow: spec.allow, deny: spec.deny }),
      identities: Object.freeze([...spec.identities]),
    });
    for (const identity of spec.identities) identities.set(identity, name);
  }
  const routes = new RouteTable(ROUTES, options.api ?? {});
  const proxy = options.tls.proxy;
  return Object.freeze({
    admin: options.adminIdentity,
    adminEnabled: ADMIN_IDENTITY.test(options.adminIdentity),
    policies,
    identities,
    routes,
    certRequired: !routes.anySkipAuth,
    verifyCerts: options.tls.auth === 'on',
    trust: options.tls.auth === 'on' ? new TrustStore(options.tls.ca ?? []) : undefined,
    proxy:
      proxy === undefined || proxy.identities.length === 0
        ? undefined
        : { identities: new Set(proxy.identities), certHeader: proxy.certHeader },
    cache,
    defaultKeyType: options.defaultKeyType ?? 'AES256',
    version: options.version ?? UNKNOWN_VERSION,
  });
}
