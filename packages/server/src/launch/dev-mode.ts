import { ApiKey } from '@kes/core';
import type { ServerOptions } from '../server-options.js';
import type { KeystoreRegistry, ListenAddress } from '../config/index.js';
import { ensureDevCertificate, type DevCertificate } from './dev-certificate.js';

/** The environment variable that moves the development certificate folder (the caller picks the default). */
export const DEV_CERT_DIR_ENV = 'KES_DEV_CERT_DIR';
/** Development mode listens here unless `--addr` or `KES_SERVER_ADDR` say otherwise. */
export const DEV_ADDRESS: ListenAddress = Object.freeze({ host: '127.0.0.1', port: 7373 });

/** A development server's options plus what the banner shows about them. */
export interface DevSetup {
  readonly options: ServerOptions;
  /** The admin API key (printed once in the banner; never logged elsewhere). */
  readonly apiKey: ApiKey;
  readonly certificate: DevCertificate;
}

/**
 * Builds the options of a development server like upstream `kes server --dev` (spec §7.2): the in-memory keystore
 * (through the registry's `memory` block), a self-signed certificate for localhost, 127.0.0.1 and ::1 (plus the
 * listening IP) that is reused while valid, a fresh admin API key, cache 5m/30s/0, no policies.
 * @throws Error when the certificate folder cannot be written or the memory backend cannot be loaded.
 */
export async function createDevSetup(opts: { registry: KeystoreRegistry; address?: ListenAddress; certDir: string; cwd: string }): Promise<DevSetup> {
  const address = opts.address ?? DEV_ADDRESS;
  const ips = ['127.0.0.1', '::1'];
  if (address.host !== '' && !ips.includes(address.host) && address.host !== '0.0.0.0' && address.host !== '::') ips.push(address.host);
  const certificate = await ensureDevCertificate(opts.certDir, ['localhost'], ips);
  const apiKey = ApiKey.generate();
  const memory = await opts.registry.resolve('memory');
  const keystore = await memory.create({}, { cwd: opts.cwd, warn: () => {} });
  return {
    apiKey,
    certificate,
    options: {
      keystore,
      listen: { host: address.host === '' ? '0.0.0.0' : address.host, port: address.port },
      tls: { key: certificate.key, cert: certificate.cert, auth: 'off' },
      adminIdentity: apiKey.identity,
      policies: {},
      cache: { anyMs: 5 * 60_000, unusedMs: 30_000, offlineMs: 0 },
    },
  };
}
