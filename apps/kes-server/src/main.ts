#!/usr/bin/env node
/**
 * `kes server` as a process: arguments → {@link runServer} (config → options → server → banner); SIGHUP reloads
 * the config (the running one stays on error), SIGTERM/SIGINT close the server and exit 0. Exit codes: 1 when the
 * server cannot start, 2 for a command-line mistake.
 */
import { USAGE, UsageError, parseServerArgs, type ServerArgs } from './args.js';
import { runServer } from './run-server.js';

let args: ServerArgs;
try {
  args = parseServerArgs(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`Error: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

try {
  const running = await runServer({ args, env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
  process.on('SIGHUP', () => void running.reload());
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second signal: stop waiting for the drain
    stopping = true;
    process.stderr.write(`Received ${signal}: shutting down\n`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Error: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  process.stderr.write(`Error: ${(err as Error).message}\n`);
  process.exit(1);
}
