import { parseArgs } from 'node:util';
import { parseListenAddress, type ListenAddress } from '../config/index.js';

/** The environment variable that sets the listening address (`ip:port`) when `--addr` is not given. */
export const ADDRESS_ENV = 'KES_SERVER_ADDR';

/** The environment variable that sets the number of server processes when `--workers` is not given. */
export const WORKERS_ENV = 'KES_WORKERS';

/** What `kes server` was asked to do (upstream flags, spec §7.2). */
export interface ServerArgs {
  /** `--config FILE`; `undefined` = development mode. */
  readonly config?: string;
  /** `--addr ip:port`, else `KES_SERVER_ADDR`; `undefined` = the config's address or the default. */
  readonly address?: ListenAddress;
  /** `--dev` given explicitly (development mode is also used when no config is given). */
  readonly dev: boolean;
  /** `--mlock`: asked to lock memory (Node cannot; the banner says so). */
  readonly mlock: boolean;
  /** Deprecated flags that were given and are ignored (`--auth`, `--key`, `--cert`), as written. */
  readonly ignored: readonly string[];
  readonly help: boolean;
  /** `--workers N`, else `KES_WORKERS`: server processes (1 = one process); `undefined` = the launcher's default. */
  readonly workers?: number;
}

/** Usage text of `kes server`. */
export const USAGE = `Usage:
    kes server [options]

Options:
    --addr <IP:PORT>     The address of the server (default: 0.0.0.0:7373 with
                         --config, 127.0.0.1:7373 in development mode).
                         Environment variable: ${ADDRESS_ENV}
    --config <PATH>      Path to the server configuration file
    --dev                Start a development server: in-memory keystore, a
                         self-signed certificate and a fresh admin API key.
                         This is also what happens without --config.
    --mlock              Ask to lock memory (not possible in Node.js: the
                         start-up banner says what is and is not protected)
    --workers <N>        Server processes sharing the port (default: one per
                         CPU with --config; 1 = a single process). The memory
                         keystore and development mode always run one, a
                         keystore.module one unless asked. Environment
                         variable: ${WORKERS_ENV}
    -h, --help           Print this help

Deprecated and ignored: --auth, --key, --cert (use tls.auth, tls.key, tls.cert
in the config file).

Examples:
    $ kes server --dev
    $ kes server --config config.yml --addr :7000
`;

/** A command-line mistake; the app prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses `kes server` arguments (`--flag value` and `--flag=value` both work).
 * @throws UsageError for unknown flags, missing values, positional arguments, `--dev` with `--config`, or an
 *   invalid address (from `--addr` or {@link ADDRESS_ENV}).
 */
export function parseServerArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ServerArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: withBareAuth(argv),
      strict: true,
      allowPositionals: false,
      options: {
        addr: { type: 'string' },
        config: { type: 'string' },
        dev: { type: 'boolean', default: false },
        mlock: { type: 'boolean', default: false },
        auth: { type: 'string' },
        key: { type: 'string' },
        cert: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        workers: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const config = values['config'] as string | undefined;
  if (values['dev'] === true && config !== undefined) throw new UsageError("'--dev' and '--config' cannot be used together");
  if (config === '') throw new UsageError("'--config' needs a file name");
  const addrText = (values['addr'] as string | undefined) ?? env[ADDRESS_ENV];
  let address: ListenAddress | undefined;
  if (addrText !== undefined && addrText !== '') {
    const parsed = parseListenAddress(addrText);
    if ('error' in parsed) throw new UsageError(`invalid address '${addrText}': ${parsed.error}`);
    address = parsed;
  }
  const workersText = (values['workers'] as string | undefined) ?? env[WORKERS_ENV];
  let workers: number | undefined;
  if (workersText !== undefined && workersText !== '') {
    if (!/^[0-9]{1,4}$/.test(workersText) || Number(workersText) < 1 || Number(workersText) > 1024) {
      throw new UsageError(`invalid number of workers '${workersText}': write a whole number from 1 to 1024`);
    }
    workers = Number(workersText);
  }
  return {
    ...(config === undefined ? {} : { config }),
    ...(address === undefined ? {} : { address }),
    ...(workers === undefined ? {} : { workers }),
    dev: values['dev'] === true,
    mlock: values['mlock'] === true,
    ignored: (['auth', 'key', 'cert'] as const).filter((f) => values[f] !== undefined).map((f) => `--${f}`),
    help: values['help'] === true,
  };
}

/**
 * Upstream accepts a bare `--auth` (its value is optional; the Azure tutorial runs `kes server --auth --config=…`):
 * a `--auth` that is last or followed by another option becomes `--auth=on`. Never throws.
 */
function withBareAuth(argv: readonly string[]): string[] {
  return argv.map((arg, i) => (arg === '--auth' && (i === argv.length - 1 || argv[i + 1]!.startsWith('-')) ? '--auth=on' : arg));
}
