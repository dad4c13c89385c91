/**
 * The operations metrics beyond spec §9.3 that the server registers next to the `kes_*` families of
 * {@link ServerMetrics}: keystore calls, the key cache, TLS handshakes, the certificate expiry and connections.
 */
import type { KeyCacheStats } from '@kes/core';
import type { Registry } from 'prom-client';
import { CacheMetrics } from './cache-metrics.js';
import { KeystoreMetrics } from './keystore-metrics.js';
import { TransportMetrics } from './tls-metrics.js';

/** Where the gauges read their values. */
export interface OpsSources {
  /** The key cache in use now. */
  readonly cache: () => { stats(): KeyCacheStats };
  /** The number of open connections. */
  readonly connections: () => number;
}

/** All operations families of one registry. */
export class OpsMetrics {
  readonly keystore: KeystoreMetrics;
  readonly cache: CacheMetrics;
  readonly transport: TransportMetrics;

  constructor(registry: Registry, sources: OpsSources) {
    this.keystore = new KeystoreMetrics(registry);
    this.cache = new CacheMetrics(registry, sources.cache);
    this.transport = new TransportMetrics(registry, sources.connections);
  }
}
