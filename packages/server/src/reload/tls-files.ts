/**
 * Picking up renewed TLS files: which files of a config to watch, and the watcher a running `kes server` keeps on
 * them (spec §1.1 re-reads them every 15 minutes; this notices a change within seconds).
 */
import { resolve } from 'node:path';
import type { ServerConfig } from '../config/server-config.js';
import { FileWatcher } from './file-watch.js';

/** The files (and the `tls.ca` file or directory) a config's TLS material comes from, resolved against `cwd`. */
export function tlsFilePaths(config: ServerConfig, cwd: string): string[] {
  const paths = [resolve(cwd, config.tls.cert), resolve(cwd, config.tls.key)];
  if (config.tls.ca !== undefined) paths.push(resolve(cwd, config.tls.ca));
  return paths;
}

/**
 * Watches the TLS files of `config`; `reread` (which re-reads and applies them, logging its own failure) runs after
 * they changed, and `log` gets one line per change and its outcome.
 */
export function watchTlsFiles(
  config: ServerConfig,
  cwd: string,
  reread: () => Promise<boolean>,
  log: (line: string) => void,
  options: { debounceMs?: number; pollMs?: number } = {},
): FileWatcher {
  return new FileWatcher(tlsFilePaths(config, cwd), {
    ...options,
    onChange: () => {
      log('TLS files changed on disk: re-reading them\n');
      void reread().then((ok) => {
        if (ok) log('TLS files re-read: the new certificate is in use\n');
      });
    },
  });
}
