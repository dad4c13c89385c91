/**
 * Command-line parsing of the standalone emulator (`nx serve azure-keyvault-emulator [-- options]`).
 */
import { parseArgs } from 'node:util';
import type { EmulatorOptions, VaultSpec } from './emulator.js';
import { KnobError, validateKnobPatch } from './knobs.js';

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

function port(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new Error(`${flag} must be a port number`);
  return Number(v);
}

/**
 * Parses `argv` (without node and script). Accepts `--json=true`, the form Nx forwards.
 * @param defaultStateDir state directory when `--state-dir` is absent.
 * @throws Error with a readable message for unknown options or bad values.
 */
export function parseCli(argv: readonly string[], defaultStateDir: string): CliConfig {
  const args = argv.filter((a) => a !== '--').map((a) => (a === '--json=true' ? '--json' : a === '--json=false' ? '' : a)).filter((a) => a !== '');
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
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
    },
  });
  let knobs: VaultSpec['knobs'];
  if (values.knobs !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.knobs);
    } catch {
      throw new Error('--knobs must be a JSON object');
    }
    try {
      knobs = validateKnobPatch(parsed);
    } catch (e) {
      throw new Error(`--knobs: ${e instanceof KnobError ? e.message : String(e)}`);
    }
  }
  const names = values.vault ?? ['kes-vault'];
  const firstPort = port('--port', values.port);
  const options: EmulatorOptions = {
    vaults: names.map((name, i) => ({ name, ...(knobs ? { knobs } : {}), ...(i === 0 && firstPort !== undefined ? { port: firstPort } : {}) })),
    stateDir: values['state-dir'] ?? defaultStateDir,
    ports: {
      ...(port('--login-port', values['login-port']) !== undefined ? { login: port('--login-port', values['login-port']) } : {}),
      ...(port('--identity-port', values['identity-port']) !== undefined ? { identity: port('--identity-port', values['identity-port']) } : {}),
      ...(port('--admin-port', values['admin-port']) !== undefined ? { admin: port('--admin-port', values['admin-port']) } : {}),
    },
  };
  if (values['tenant-id'] !== undefined) options.tenantId = values['tenant-id'];
  if (values['client-id'] !== undefined) options.clientId = values['client-id'];
  if (values['client-secret'] !== undefined) options.clientSecret = values['client-secret'];
  if (values['identity-header'] !== undefined) options.identityHeader = values['identity-header'];
  return { json: values.json ?? false, help: values.help ?? false, options };
}
