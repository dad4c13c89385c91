/**
 * Command-line parsing of the standalone emulator (`nx serve azure-keyvault-emulator [-- options]`).
 */
import { parseEmulatorArgs, parseKnobs, parsePort } from '@kes/emulator-support';
import type { EmulatorOptions } from './emulator.js';
import { validateKnobPatch } from './knobs.js';

/** Usage text. */
export const USAGE = `Usage: tsx src/main.ts [options]
  --json                 print one JSON object {vaultUrl, authorityHost, tenantId, clientId, clientSecret, caFile}
  --vault NAME           a vault to start (repeatable; default kes-vault)
  --port N               port of the first vault (default: any free port)
  --login-port N         port of the Entra (login) endpoint
  --identity-port N      port of the managed-identity endpoint
  --admin-port N         port of the admin endpoint
  --tenant-id ID         fixed tenant id           --client-id ID   fixed client id
  --client-secret S      fixed client secret       --identity-header S  fixed App Service IDENTITY_HEADER
  --state-dir DIR        keeps the CA and token-signing key (default: .emulator next to package.json)
  --knobs JSON           initial knobs for every vault, e.g. '{"deleteDelayMs":2000}'
  --help                 this text`;

/** Parsed command line. */
export interface CliConfig {
  json: boolean;
  help: boolean;
  options: EmulatorOptions;
}

/**
 * Parses `argv` (without node and script). Accepts `--json=true` / `--json=false`, the forms Nx forwards.
 * @param defaultStateDir - state directory when `--state-dir` is absent.
 * @throws Error with a readable message for unknown options or bad values.
 */
export function parseCli(argv: readonly string[], defaultStateDir: string): CliConfig {
  const values = parseEmulatorArgs(argv, {
    vault: { type: 'string', multiple: true },
    port: { type: 'string' },
    'login-port': { type: 'string' },
    'identity-port': { type: 'string' },
    'admin-port': { type: 'string' },
    'tenant-id': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'identity-header': { type: 'string' },
    'state-dir': { type: 'string' },
    knobs: { type: 'string' },
  });
  const knobs = parseKnobs(values.knobs, validateKnobPatch);
  const names = values.vault ?? ['kes-vault'];
  const firstPort = parsePort('--port', values.port);
  const login = parsePort('--login-port', values['login-port']);
  const identity = parsePort('--identity-port', values['identity-port']);
  const admin = parsePort('--admin-port', values['admin-port']);
  const options: EmulatorOptions = {
    vaults: names.map((name, i) => ({ name, ...(knobs ? { knobs } : {}), ...(i === 0 && firstPort !== undefined ? { port: firstPort } : {}) })),
    stateDir: values['state-dir'] ?? defaultStateDir,
    ports: {
      ...(login !== undefined ? { login } : {}),
      ...(identity !== undefined ? { identity } : {}),
      ...(admin !== undefined ? { admin } : {}),
    },
  };
  if (values['tenant-id'] !== undefined) options.tenantId = values['tenant-id'];
  if (values['client-id'] !== undefined) options.clientId = values['client-id'];
  if (values['client-secret'] !== undefined) options.clientSecret = values['client-secret'];
  if (values['identity-header'] !== undefined) options.identityHeader = values['identity-header'];
  return { json: values.json, help: values.help, options };
}
