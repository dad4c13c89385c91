import { isAbsolute, relative, resolve } from 'node:path';
import { startServer } from '../server.js';
import type { KesServer, ServerOptions } from '../server-options.js';
import {
  buildServerOptions,
  buildTlsOptions,
  createKeystoreRegistry,
  formatConfigProblem,
  loadConfigFile,
  type KeystoreRegistry,
  type ModuleImporter,
  type ServerConfig,
} from '../config/index.js';
import type { ServerArgs } from './args.js';
import { formatBanner } from './banner.js';
import { probeMemoryLock } from './memory-lock.js';
import { DEV_CERT_DIR_ENV, createDevSetup } from './dev-mode.js';
import { tlsFilePaths, watchTlsFiles } from '../reload/tls-files.js';

/** How often the TLS files of a config are re-read (spec §1.1: every 15 minutes, like upstream). */
export const TLS_REREAD_MS = 15 * 60 * 1000;

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
}

/** A running `kes server`. */
export interface RunningServer {
  readonly server: KesServer;
  readonly args: ServerArgs;
  /** Re-reads the config file and applies it (SIGHUP). On any problem the running config stays and the error is logged. @returns whether it was applied. */
  reload(): Promise<boolean>;
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
    config = await loadConfigFile(configPath(args.config, ctx.cwd), { env: ctx.env, registry, cwd: ctx.cwd });
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

/**
 * The config file as the loader reads it (relative to the process's working directory): `file` itself when `cwd` is
 * that directory (so messages name the file as the user wrote it), else the path of `file` under `cwd`.
 */
function configPath(file: string, cwd: string): string {
  if (isAbsolute(file) || resolve(cwd) === process.cwd()) return file;
  return relative(process.cwd(), resolve(cwd, file));
}

function devRunning(server: KesServer, args: ServerArgs, ctx: RunContext): RunningServer {
  return {
    server,
    args,
    reload: async () => {
      ctx.stderr.write('Reload requested: development mode has no config file to reload\n');
      return false;
    },
    close: () => server.close(),
  };
}

function configRunning(
  server: KesServer,
  args: ServerArgs,
  ctx: RunContext,
  registry: KeystoreRegistry,
  initial: ServerOptions,
  initialConfig: ServerConfig,
): RunningServer {
  const file = args.config!;
  let current = initial;
  let config = initialConfig;
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const reload = () =>
    serialized(async () => {
      ctx.stderr.write(`Reloading the configuration from '${file}'\n`);
      let next: ServerOptions | undefined;
      try {
        const nextConfig = await loadConfigFile(configPath(file, ctx.cwd), { env: ctx.env, registry, cwd: ctx.cwd });
        for (const w of nextConfig.warnings) ctx.stderr.write(`Warning: ${formatConfigProblem(w, nextConfig.file).trimStart()}\n`);
        next = await buildServerOptions(nextConfig, { registry, cwd: ctx.cwd, version: current.version!, log: current.log!, ...(args.address ? { address: args.address } : {}) });
        if (ctx.adjustOptions !== undefined) next = ctx.adjustOptions(next);
        if (next.listen.host !== current.listen.host || next.listen.port !== current.listen.port) {
          ctx.stderr.write(`Warning: the address changed to ${next.listen.host}:${next.listen.port}; it takes effect after a restart\n`);
          next = { ...next, listen: current.listen };
        }
        await server.reload(next);
        current = next;
        config = nextConfig;
        watcher.watch(tlsFilePaths(nextConfig, ctx.cwd));
        ctx.stderr.write('Configuration reloaded\n');
        return true;
      } catch (err) {
        if (next !== undefined) await next.keystore.close().catch(() => undefined);
        ctx.stderr.write(`Error: reload failed, the running configuration stays in effect:\n${(err as Error).message}\n`);
        return false;
      }
    });

  const rereadTls = () =>
    serialized(async () => {
      try {
        const tls = await buildTlsOptions(config, ctx.cwd);
        const next = { ...current, tls };
        await server.reload(next);
        current = next;
        return true;
      } catch (err) {
        ctx.stderr.write(`Error: re-reading the TLS files failed, the current certificate stays in use:\n${(err as Error).message}\n`);
        return false;
      }
    });
  const timer = setInterval(() => void rereadTls(), TLS_REREAD_MS);
  timer.unref();
  // renewed certificates are picked up within seconds (fs events, and a check every 5 s where there are none)
  const watcher = watchTlsFiles(config, ctx.cwd, rereadTls, (line) => ctx.stderr.write(line));

  return {
    server,
    args,
    reload,
    close: async () => {
      clearInterval(timer);
      watcher.close();
      await queue;
      await server.close();
    },
  };
}
