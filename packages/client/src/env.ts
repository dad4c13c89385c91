/**
 * Client settings from the environment, with the kes CLI's precedence and messages (spec `kes-protocol.md` §7.1;
 * `cmd/kes/main.go newClient`, `internal/cli/env.go`).
 */
import { parseEndpoints } from './endpoints.js';
import { KesClientError } from './errors.js';

/** Default endpoint when no variable names one. */
export const DEFAULT_ENDPOINT = '127.0.0.1:7373';

/** The variables of each setting, in precedence order (the first one that is set wins, even if empty). */
export const ENV_VARS = {
  server: ['MINIO_KES_SERVER', 'KES_SERVER', 'MINIO_KMS_KES_ENDPOINT'],
  apiKey: ['MINIO_KES_API_KEY', 'KES_API_KEY', 'MINIO_KMS_KES_API_KEY'],
  keyFile: ['MINIO_KES_KEY_FILE', 'KES_CLIENT_KEY', 'MINIO_KES_CLIENT_KEY'],
  certFile: ['MINIO_KES_CERT_FILE', 'KES_CLIENT_CERT', 'MINIO_KES_CLIENT_CERT'],
} as const;

/** Client settings found in the environment (and overrides). Exactly one of `apiKey` or `certFile`+`keyFile` is set. */
export interface EnvClientConfig {
  /** Normalized endpoints (see `parseEndpoints`). */
  endpoints: string[];
  apiKey?: string;
  certFile?: string;
  keyFile?: string;
}

/** Explicit settings (e.g. CLI flags) that win over the environment when non-empty. */
export interface EnvOverrides {
  server?: string;
  apiKey?: string;
  certFile?: string;
  keyFile?: string;
}

function lookup(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Resolves the client configuration like the kes CLI: each setting comes from `overrides` if non-empty, else from
 * the first variable of {@link ENV_VARS} that is set (an empty value counts as set, and then as "not given"); the
 * endpoint defaults to {@link DEFAULT_ENDPOINT}. Values are trimmed.
 * @returns the endpoints plus either `apiKey` or `certFile` + `keyFile`.
 * @throws KesClientError `CONFIG` with the CLI's messages: `no API key specified. Consider setting MINIO_KES_API_KEY`,
 *   `API key and private key file cannot be used at the same time`, `API key and certificate file cannot be used at
 *   the same time`, `no certificate file specified. Consider setting MINIO_KES_CERT_FILE`, `no private key file
 *   specified. Consider setting MINIO_KES_KEY_FILE`, or the endpoint errors of `parseEndpoints`.
 */
export function clientConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  overrides: EnvOverrides = {},
): EnvClientConfig {
  const pick = (override: string | undefined, names: readonly string[]): string =>
    (override !== undefined && override.trim() !== '' ? override : (lookup(env, names) ?? '')).trim();

  const server = pick(overrides.server, ENV_VARS.server);
  const apiKey = pick(overrides.apiKey, ENV_VARS.apiKey);
  const keyFile = pick(overrides.keyFile, ENV_VARS.keyFile);
  const certFile = pick(overrides.certFile, ENV_VARS.certFile);

  const fail = (message: string): never => {
    throw new KesClientError('CONFIG', 0, message);
  };
  if (server !== '' && server.split(',').every((s) => s.trim() === '')) {
    fail(`'${ENV_VARS.server[0]}' contains no hosts / IPs`);
  }
  const endpoints = parseEndpoints(server === '' ? DEFAULT_ENDPOINT : server);

  if (apiKey === '' && keyFile === '' && certFile === '') {
    fail(`no API key specified. Consider setting ${ENV_VARS.apiKey[0]}`);
  }
  if (apiKey !== '' && keyFile !== '') fail('API key and private key file cannot be used at the same time');
  if (apiKey !== '' && certFile !== '') fail('API key and certificate file cannot be used at the same time');
  if (keyFile !== '' && certFile === '') {
    fail(`no certificate file specified. Consider setting ${ENV_VARS.certFile[0]}`);
  }
  if (keyFile === '' && certFile !== '') {
    fail(`no private key file specified. Consider setting ${ENV_VARS.keyFile[0]}`);
  }
  return apiKey !== '' ? { endpoints, apiKey } : { endpoints, certFile, keyFile };
}
