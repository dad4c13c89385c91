/**
 * `kes server`: runs a KES server — the same launcher as the `kes-server` app (`@kes/server/launch`): `--config
 * FILE`, `--addr IP:PORT`, `--dev`, `--mlock`, `--workers N`, deprecated `--auth/--key/--cert`. The real `kes` process
 * runs one server process per CPU when the config allows it (node:cluster workers re-run `kes server …`).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { packageVersion } from '../cli/version.js';

/** Where `kes server --dev` keeps its self-signed certificate unless `KES_DEV_CERT_DIR` names a folder. */
function defaultDevCertDir(): string {
  return join(tmpdir(), `kes-dev-certs-${process.getuid?.() ?? 'user'}`);
}

/** The `kes server` command. Its flags are parsed by the shared launcher, which also prints its help. */
export function serverCommand(ctx: CliContext): Command {
  return new Command('server')
    .description('Start a KES server: --config FILE, or a development server (in-memory keys) without it')
    .argument('[flags...]', "see 'kes server --help'")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async () => {
      const { launchServer } = await import('@kes/server/launch'); // the server and config loader, only when needed
      const at = ctx.argv.indexOf('server');
      const io = ctx.io;
      ctx.exitCode = await launchServer({
        argv: ctx.argv.slice(at + 1),
        env: io.env,
        cwd: io.cwd,
        stdout: io.stdout as unknown as NodeJS.WritableStream,
        stderr: io.stderr as unknown as NodeJS.WritableStream,
        importModule: (specifier) => import(specifier),
        version: packageVersion(),
        devCertDir: defaultDevCertDir(),
        stop: io.signal,
        ...(io.onReload === undefined ? {} : { onReload: io.onReload }),
        ...(io.serverWorkers === undefined ? {} : { defaultWorkers: io.serverWorkers }),
      });
    });
}
