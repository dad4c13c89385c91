#!/usr/bin/env node
/**
 * `kes-server`: `kes server` as its own process. Everything but the process wiring lives in `@kes/server/launch`
 * (shared with the `kes` CLI): arguments → config (or development mode) → server → banner, with one server process
 * per CPU for a config whose keystore allows it (node:cluster; node re-runs this file in each worker). SIGHUP reloads
 * the config (the running one stays on error); SIGTERM/SIGINT close the server and exit 0 (a second signal exits 1
 * at once). Exit codes: 1 when the server cannot start, 2 for a command-line mistake.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { launchServer } from '@kes/server/launch';

function appVersion(): string {
  try {
    return (createRequire(import.meta.url)('../package.json') as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const stop = new AbortController();
const onStop = (signal: NodeJS.Signals): void => {
  if (stop.signal.aborted) process.exit(1); // a second signal: stop waiting for the drain
  stop.abort(signal);
};
process.on('SIGTERM', onStop);
process.on('SIGINT', onStop);

const code = await launchServer({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  importModule: (specifier) => import(specifier),
  version: appVersion(),
  // Development certificate, git-ignored (the app root's .certs/, from src/ and from dist/ alike).
  devCertDir: join(import.meta.dirname, '..', '.certs'),
  stop: stop.signal,
  // One server process per CPU unless --workers / KES_WORKERS say otherwise (node:cluster; the memory keystore,
  // development mode and keystore modules run one — see docs/operations.md).
  defaultWorkers: availableParallelism(),
  onReload: (listener) => {
    process.on('SIGHUP', listener);
    return () => process.off('SIGHUP', listener);
  },
});
process.exit(code);
