/**
 * Command-line parsing of the standalone emulator (`npx nx serve vault-emulator [-- options]`).
 */
import { parseEmulatorArgs, parseKnobs, parsePort } from '@kes/emulator-support';
import { validateKnobPatch } from './knobs.js';
import type { VaultEmulatorOptions } from './options.js';

/** Usage text. */
export const USAGE = `Usage: tsx src/main.ts [options]
  --json                   print one JSON object {address, rootToken, roleId, secretId, approleMount,
                           kubernetesRole, namespaces, caFile, clientCertFile, clientKeyFile}
  --port N                 port to listen on (default: any free port)
  --root-token T           fixed root token          --role-id ID / --secret-id ID   fixed AppRole credentials
  --namespace NS           an Enterprise namespace (repeatable); each gets the same mounts
  --token-ttl SECONDS      TTL of login tokens (default 3600)
  --token-max-ttl SECONDS  max TTL of login tokens (default 0 = none)
  --tls                    serve HTTPS with a generated CA (files written to --state-dir)
  --require-client-cert    with --tls: demand a client certificate signed by that CA
  --state-dir DIR          where --tls writes ca.pem, client.crt, client.key (default: .emulator next to package.json)
  --knobs JSON             initial fault knobs, e.g. '{"latencyMs":50}'
  --help                   this text`;

/** Parsed command line. */
export interface CliConfig {
  readonly json: boolean;
  readonly help: boolean;
  readonly stateDir: string;
  readonly options: VaultEmulatorOptions;
}

function seconds(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new Error(`${flag} must be a whole number of seconds`);
  return Number(v);
}

/**
 * Parses `argv` (without node and script). Accepts `--flag=true` / `--flag=false` for the boolean options, the forms
 * Nx forwards.
 * @param defaultStateDir - state directory when `--state-dir` is absent.
 * @throws Error with a readable message for unknown options or bad values.
 */
export function parseCli(argv: readonly string[], defaultStateDir: string): CliConfig {
  const values = parseEmulatorArgs(argv, {
    port: { type: 'string' },
    'root-token': { type: 'string' },
    'role-id': { type: 'string' },
    'secret-id': { type: 'string' },
    namespace: { type: 'string', multiple: true },
    'token-ttl': { type: 'string' },
    'token-max-ttl': { type: 'string' },
    tls: { type: 'boolean', default: false },
    'require-client-cert': { type: 'boolean', default: false },
    'state-dir': { type: 'string' },
    knobs: { type: 'string' },
  });
  const port = parsePort('--port', values.port);
  if (values['require-client-cert'] && !values.tls) throw new Error('--require-client-cert needs --tls');
  const knobs = parseKnobs(values.knobs, validateKnobPatch);
  const tokenTtlSeconds = seconds('--token-ttl', values['token-ttl']);
  const tokenMaxTtlSeconds = seconds('--token-max-ttl', values['token-max-ttl']);
  const tokenSettings = { ...(tokenTtlSeconds !== undefined ? { tokenTtlSeconds } : {}), ...(tokenMaxTtlSeconds !== undefined ? { tokenMaxTtlSeconds } : {}) };
  const options: VaultEmulatorOptions = {
    ...(port !== undefined ? { port } : {}),
    ...(values['root-token'] !== undefined ? { rootToken: values['root-token'] } : {}),
    ...(values.namespace ? { namespaces: values.namespace } : {}),
    ...(values.tls ? { tls: { requireClientCert: values['require-client-cert'] } } : {}),
    ...(knobs ? { knobs } : {}),
    approle: {
      ...tokenSettings,
      ...(values['role-id'] !== undefined ? { roleId: values['role-id'] } : {}),
      ...(values['secret-id'] !== undefined ? { secretId: values['secret-id'] } : {}),
    },
    kubernetes: tokenSettings,
  };
  return { json: values.json, help: values.help, stateDir: values['state-dir'] ?? defaultStateDir, options };
}
