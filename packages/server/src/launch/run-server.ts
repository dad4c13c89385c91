import { startServer } from '../server.js';
import type { KesServer, ServerOptions } from '../server-options.js';
import {
  buildServerOptions,
  createKeystoreRegistry,
  formatConfigProblem,
  loadConfigFile,
  parseConfig,
  type ModuleImporter,
  type ServerConfig,
} from '../config/index.js';
import type { ReloadKind } from '../reload/reload-queue.js';
import type { ServerArgs } from './args.js';
import { formatBanner } from './banner.js';
import { probeMemoryLock } from './memory-lock.js';
import { DEV_CERT_DIR_ENV, createDevSetup } from './dev-mode.js';
import { configPath, configRunning, type PreparedReload } from './config-running.js';

export { TLS_REREAD_MS, configPath, type PreparedReload } from './config-running.js';

/** The process environment and streams a run uses (the real ones in an app's `main.ts`, fakes in tests). */
export interface RunContext {
  readonly args: ServerArgs;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /**
   * How keystore backend packages and `keystore.module` modules are imported: pass `(s) => import(s)` from the app,
   * so that they resolve from the app's dependencies (this package does not depend on any backend).
   */
  readonly importModule: ModuleImporter;
  /** Version shown in the banner and reported by `/version`; `commit` defaults to `$KES_COMMIT`. */
  readonly version: string;
  /** Folder of the development certificate unless `KES_DEV_CERT_DIR` names one. */
  readonly devCertDir: string;
  /** Applied to the server options at start and on every reload (a cluster worker adds its hooks, drops `keys:`). */
  readonly adjustOptions?: (options: ServerOptions) => ServerOptions;
  /** No banner and no config warnings (every cluster worker but the first; the first speaks for all). */
  readonly quiet?: boolean;
  /**
   * The config file's contents as a cluster primary read them: parsed instead of reading the file, so that every
   * worker runs the config the primary validated (and a replacement worker the one in force).
   */
  readonly configText?: string;
  /**
   * Reloads and TLS re-reads are driven from outside (a cluster primary, through {@link RunningServer.prepareReload}):
   * no file watcher and no re-read timer of its own.
   */
  readonly coordinated?: boolean;
}

/** A running `kes server`. */
export interface RunningServer {
  readonly server: KesServer;
  readonly args: ServerArgs;
  /**
   * Re-reads the config file and applies it (SIGHUP), logging `Configuration reloaded` or the problems (the running
   * config then stays). Reloads run one at a time; requests during one are merged into one more reload after it.
   * @returns whether the reload that served this request was applied. Never rejects.
   */
  reload(): Promise<boolean>;
  /**
   * Prepares a reload without applying or logging it — for a cluster worker, which applies it once the primary says
   * every worker prepared. `kind` `'config'` parses `text` (the config file's contents as the primary read them;
   * `undefined` = read the file), `'tls'` re-reads the TLS files of the running config. `note` gets the lines one
   * process would log on the way (config warnings, an address that needs a restart).
   * @throws Error (rejects) with the problems (the same message one process logs) when the new config is unusable.
   */
  prepareReload(kind: ReloadKind, text?: string, note?: (line: string) => void): Promise<PreparedReload>;
  /** Stops the TLS re-read timer and closes the server (drains, closes the keystore). */
  close(): Promise<void>;
}

/**
 * `kes server` with parsed arguments: config (or development mode) → server options → {@link startServer} → banner.
 * @throws ConfigError for an unusable config file (every problem listed); Error when
 *   the server cannot start (e.g. the address is in use).
 */
export async function runServer(ctx: RunContext): Promise<RunningServer> {
  const args = ctx.args;
  const warn = (message: string) => {
    if (ctx.quiet !== true) ctx.stderr.write(`Warning: ${message}\n`);
  };
  for (const flag of args.ignored) warn(`'${flag}' is deprecated and ignored: set tls.${flag.slice(2)} in the config file instead`);
  const registry = createKeystoreRegistry(ctx.importModule);
  const version = { version: ctx.version, commit: ctx.env['KES_COMMIT'] ?? '' };
  const log = { stdout: ctx.stdout, stderr: ctx.stderr };

  let options: ServerOptions;
  let config: ServerConfig | undefined;
  let apiKey: string | undefined;
  if (args.config === undefined) {
    const dev = await createDevSetup({ registry, cwd: ctx.cwd, certDir: ctx.env[DEV_CERT_DIR_ENV] || ctx.devCertDir, ...(args.address ? { address: args.address } : {}) });
    options = { ...dev.options, version, log: { ...dev.options.log, ...log } };
    apiKey = dev.apiKey.toString();
    warn(`development mode: keys live in memory only and are lost on exit; TLS certificate ${dev.certificate.reused ? 'reused from' : 'written to'} ${dev.certificate.certFile}`);
  } else {
    const path = configPath(args.config, ctx.cwd);
    const loadOptions = { env: ctx.env, registry, cwd: ctx.cwd };
    config = ctx.configText === undefined ? await loadConfigFile(path, loadOptions) : await parseConfig(ctx.configText, { ...loadOptions, file: path });
    for (const w of config.warnings) warn(formatConfigProblem(w, config.file).trimStart());
    options = await buildServerOptions(config, { registry, cwd: ctx.cwd, version, log, warn, ...(args.address ? { address: args.address } : {}) });
  }

  if (ctx.adjustOptions !== undefined) options = ctx.adjustOptions(options);
  const server = await startServer(options);
  if (ctx.quiet !== true) ctx.stdout.write(
    formatBanner({
      version: version.version,
      commit: version.commit,
      license: 'not specified (private build)',
      kms: config
        ? { title: config.keystore.title, ...(config.keystore.description ? { description: config.keystore.description } : {}) }
        : { title: 'In-memory (volatile)', description: 'development mode, keys are lost on exit' },
      listen: { host: options.listen.host, port: server.port },
      adminIdentity: options.adminIdentity,
      ...(apiKey === undefined ? {} : { apiKey }),
      log: { errorLevel: options.log?.errorLevel ?? 0, auditLevel: options.log?.auditLevel ?? 0 },
      mlock: args.mlock,
      memory: probeMemoryLock(),
    }),
  );
  return config === undefined ? devRunning(server, args, ctx) : configRunning(server, args, ctx, registry, options, config);
}

// --- Internal helpers ---

function devRunning(server: KesServer, args: ServerArgs, ctx: RunContext): RunningServer {
  return {
    server,
    args,
    reload: async () => {
      ctx.stderr.write('Reload requested: development mode has no config file to reload\n');
      return false;
    },
    prepareReload: () => Promise.reject(new Error('development mode has no config file to reload')),
    close: () => server.close(),
  };
}
