/**
 * `@kes/server/config`: the KES server config file (spec §6) — YAML loading with line numbers, `${VAR}`
 * substitution, validation of the whole schema with every problem reported at once, the keystore registry, and
 * the mapping of a validated config to `ServerOptions`.
 */
export { parseConfig, loadConfigFile, readConfigFile, type LoadConfigOptions } from './load-config.js';
export { buildServerOptions, buildTlsOptions, createKeystore, DEFAULT_ADDRESS, type BuildServerOptionsOptions } from './server-options-from-config.js';
export type { ServerConfig, PolicyConfig, ListenAddress, KeystoreSelection } from './server-config.js';
export { ConfigError, formatConfigProblem, formatConfigProblems, type ConfigProblem, type ConfigLocation } from './problems.js';
export { KeystoreRegistry, type LazyKeystore, type ModuleImporter } from './registry.js';
export { BUILTIN_KEYSTORES, createKeystoreRegistry } from './builtin-keystores.js';
export { MODULE_BLOCK } from './validate-keystore.js';
export { API_ROUTES, DEFAULT_PROXY_CERT_HEADER } from './validate-sections.js';
export { parseGoDuration, formatGoDuration, nanosToMillis } from './duration.js';
export { parseLogLevel, formatLogLevel } from './log-level.js';
export { parseListenAddress, formatListenAddress } from './address.js';
export { substituteEnv, type Env } from './env.js';
