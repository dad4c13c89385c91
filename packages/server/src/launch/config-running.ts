/**
 * A `kes server` running a config file: SIGHUP reloads of the whole config and re-reads of its TLS files (on a
 * change on disk and every 15 minutes), one at a time and coalesced ({@link ReloadQueue}). Each reload is prepared
 * (everything that can fail: parsing, validation, TLS material, the keystore) before it is applied, so a failure
 * leaves the running config untouched — and a cluster worker can prepare, report, and apply only when the primary
 * says that every worker prepared (see `cluster/reload-coordinator.ts`).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { secureContextOptions } from '../auth/tls.js';
import {
  buildServerOptions,
  buildTlsOptions,
  formatConfigProblem,
  loadConfigFile,
  parseConfig,
  type KeystoreRegistry,
  type ServerConfig,
} from '../config/index.js';
import { ReloadQueue, type ReloadKind } from '../reload/reload-queue.js';
import { tlsFilePaths, watchTlsFiles } from '../reload/tls-files.js';
import type { KesServer, ServerOptions } from '../server-options.js';
import type { ServerArgs } from './args.js';
import type { RunContext, RunningServer } from './run-server.js';

/** How often the TLS files of a config are re-read (spec §1.1: every 15 minutes, like upstream). */
export const TLS_REREAD_MS = 15 * 60 * 1000;

/** A reload that was prepared (and can no longer fail on the config) but not yet applied. */
export interface PreparedReload {
  /**
   * Makes the prepared config the running one (connections stay open; requests already running finish with the
   * old one).
   * @throws Error (rejects) in the unlikely case the server refuses it; the running config then stays and the
   *   prepared keystore is closed.
   */
  apply(): Promise<void>;
  /** Drops the prepared config (closes a keystore it opened). Never rejects. */
  discard(): Promise<void>;
}

/**
 * The config file as the loader reads it (relative to the process's working directory): `file` itself when `cwd` is
 * that directory (so messages name the file as the user wrote it), else the path of `file` under `cwd`. Never throws.
 */
export function configPath(file: string, cwd: string): string {
  if (isAbsolute(file) || resolve(cwd) === process.cwd()) return file;
  return relative(process.cwd(), resolve(cwd, file));
}

/**
 * The running-server handle of a config-mode server; `ctx.coordinated` leaves reloads and TLS re-reads to the
 * caller (no file watcher, no timer).
 */
export function configRunning(
  server: KesServer,
  args: ServerArgs,
  ctx: RunContext,
  registry: KeystoreRegistry,
  initial: ServerOptions,
  initialConfig: ServerConfig,
): RunningServer {
  const file = args.config!;
  const log = (line: string) => void ctx.stderr.write(line);
  let current = initial;
  let config = initialConfig;

  const prepare = async (kind: ReloadKind, text: string | undefined, note: (line: string) => void): Promise<PreparedReload> => {
    if (kind === 'tls') {
      const tls = await buildTlsOptions(config, ctx.cwd);
      secureContextOptions(tls); // validates key, certificate and CA list now: applying cannot fail on them
      return {
        apply: async () => {
          const next = { ...current, tls };
          await server.reload(next);
          current = next;
        },
        discard: async () => undefined,
      };
    }
    const path = configPath(file, ctx.cwd);
    const loadOptions = { env: ctx.env, registry, cwd: ctx.cwd };
    const nextConfig = text === undefined ? await loadConfigFile(path, loadOptions) : await parseConfig(text, { ...loadOptions, file: path });
    for (const w of nextConfig.warnings) note(`Warning: ${formatConfigProblem(w, nextConfig.file).trimStart()}\n`);
    let next = await buildServerOptions(nextConfig, { registry, cwd: ctx.cwd, version: current.version!, log: current.log!, ...(args.address ? { address: args.address } : {}) });
    const discard = () => next.keystore.close().catch(() => undefined);
    try {
      if (ctx.adjustOptions !== undefined) next = ctx.adjustOptions(next);
      if (next.listen.host !== current.listen.host || next.listen.port !== current.listen.port) {
        note(`Warning: the address changed to ${next.listen.host}:${next.listen.port}; it takes effect after a restart\n`);
        next = { ...next, listen: current.listen };
      }
      secureContextOptions(next.tls);
    } catch (err) {
      await discard();
      throw err;
    }
    return {
      apply: async () => {
        try {
          await server.reload(next);
        } catch (err) {
          await discard();
          throw err;
        }
        current = next;
        config = nextConfig;
        watcher?.watch(tlsFilePaths(nextConfig, ctx.cwd));
      },
      discard,
    };
  };

  const reloadConfig = async (): Promise<boolean> => {
    log(`Reloading the configuration from '${file}'\n`);
    try {
      const prepared = await prepare('config', undefined, log);
      await prepared.apply();
      log('Configuration reloaded\n');
      return true;
    } catch (err) {
      log(`Error: reload failed, the running configuration stays in effect:\n${(err as Error).message}\n`);
      return false;
    }
  };

  const rereadTls = async (): Promise<boolean> => {
    try {
      await (await prepare('tls', undefined, log)).apply();
      return true;
    } catch (err) {
      log(`Error: re-reading the TLS files failed, the current certificate stays in use:\n${(err as Error).message}\n`);
      return false;
    }
  };

  const queue = new ReloadQueue((kind) => (kind === 'config' ? reloadConfig() : rereadTls()));
  const coordinated = ctx.coordinated === true;
  const timer = coordinated ? undefined : setInterval(() => void queue.request('tls'), TLS_REREAD_MS);
  timer?.unref();
  // renewed certificates are picked up within seconds (fs events, and a check every 5 s where there are none)
  const watcher = coordinated ? undefined : watchTlsFiles(config, ctx.cwd, () => queue.request('tls'), log);

  return {
    server,
    args,
    reload: () => queue.request('config'),
    prepareReload: (kind, text, note = () => undefined) => prepare(kind, text, note),
    close: async () => {
      clearInterval(timer);
      watcher?.close();
      await queue.idle();
      await server.close();
    },
  };
}
