/**
 * `@kes/server`: the KES HTTP API (spec `kes-protocol.md` §1–§4, §8–§9 with the §12 decisions) as a library.
 * `startServer(options)` runs it; the config loader in `./config` turns a YAML file into {@link ServerOptions}.
 */
export { startServer } from './server.js';
export type { KesServer, ServerOptions } from './server-options.js';
export { LogLevel, levelName } from './log/levels.js';
export { ROUTES, MAX_BODY } from './routing/routes.js';
export type { RouteSpec, AuthMode } from './routing/route.js';
