/**
 * Command-line parsing of the standalone emulator (`nx serve aws-secretsmanager-emulator [-- options]`).
 */
import { readFileSync } from 'node:fs';
import { parseEmulatorArgs, parseKnobs, parsePort } from '@kes/emulator-support';
import type { EmulatorOptions } from './emulator.js';
import { validateKnobPatch } from './knobs.js';

/** Usage text. */
export const USAGE = `Usage: tsx src/main.ts [options]
  --json                 print one JSON object {endpoint, region, accessKeyId, secretAccessKey[, sessionToken]}
  --host H               address to listen on (default 127.0.0.1)
  --port N               port (default: any free port)
  --region R             region requests must be signed for (default us-east-1)
  --account-id ID        account id in ARNs (default 000000000000)
  --access-key ID        fixed access key id     --secret-key S   fixed secret access key (default: random pair)
  --session-token T      require this session token with the key
  --no-verify            do not verify SigV4 signatures
  --tls-cert FILE        serve HTTPS with this PEM certificate (needs --tls-key FILE)
  --knobs JSON           initial knobs, e.g. '{"forceDeleteDelayMs":2000,"pageSize":10}'
  --help                 this text`;

/** Parsed command line. */
export interface CliConfig {
  readonly json: boolean;
  readonly help: boolean;
  readonly options: EmulatorOptions;
}

/**
 * Parses `argv` (without node and script). Accepts `--flag=true` / `--flag=false` for the boolean options, the forms
 * Nx forwards.
 * @throws Error with a readable message for unknown options or bad values.
 */
export function parseCli(argv: readonly string[]): CliConfig {
  const values = parseEmulatorArgs(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    region: { type: 'string' },
    'account-id': { type: 'string' },
    'access-key': { type: 'string' },
    'secret-key': { type: 'string' },
    'session-token': { type: 'string' },
    'no-verify': { type: 'boolean', default: false },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    knobs: { type: 'string' },
  });
  const port = parsePort('--port', values.port);
  if (values.region !== undefined && !/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/.test(values.region)) throw new Error('--region must look like us-east-1');
  if (values['account-id'] !== undefined && !/^\d{12}$/.test(values['account-id'])) throw new Error('--account-id must be 12 digits');
  if ((values['access-key'] === undefined) !== (values['secret-key'] === undefined)) throw new Error('--access-key and --secret-key go together');
  if (values['session-token'] !== undefined && values['access-key'] === undefined) throw new Error('--session-token needs --access-key and --secret-key');
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new Error('--tls-cert and --tls-key go together');
  const knobs = parseKnobs(values.knobs, validateKnobPatch);
  const options: EmulatorOptions = {
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values['account-id'] !== undefined ? { accountId: values['account-id'] } : {}),
    ...(values['access-key'] !== undefined && values['secret-key'] !== undefined
      ? {
          credentials: {
            accessKeyId: values['access-key'],
            secretAccessKey: values['secret-key'],
            ...(values['session-token'] !== undefined ? { sessionToken: values['session-token'] } : {}),
          },
        }
      : {}),
    ...(values['no-verify'] ? { verifySignatures: false } : {}),
    ...(values['tls-cert'] !== undefined && values['tls-key'] !== undefined
      ? { tls: { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) } }
      : {}),
    ...(knobs !== undefined ? { knobs } : {}),
  };
  return { json: values.json, help: values.help, options };
}
