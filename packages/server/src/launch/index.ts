/**
 * `@kes/server/launch`: `kes server` as a reusable piece — argument parsing, development mode, the start-up banner and
 * the config-driven run with reload — shared by the `kes-server` app and the `kes` CLI.
 */
export { launchServer, type LaunchOptions } from './launch.js';
export { runServer, TLS_REREAD_MS, type PreparedReload, type RunContext, type RunningServer } from './run-server.js';
export { parseServerArgs, USAGE, UsageError, ADDRESS_ENV, WORKERS_ENV, type ServerArgs } from './args.js';
export type { ClusterControl } from '../cluster/primary.js';
export { formatBanner, apiUrls, type BannerInfo } from './banner.js';
export { createDevSetup, DEV_ADDRESS, DEV_CERT_DIR_ENV, type DevSetup } from './dev-mode.js';
export { ensureDevCertificate, DEV_CERT_VALID_DAYS, type DevCertificate } from './dev-certificate.js';
