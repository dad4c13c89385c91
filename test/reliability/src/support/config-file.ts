/**
 * kes-server config files for the scenarios. The file is written as JSON, which is YAML too, so every value is
 * exactly what the object says (durations as Go duration strings, e.g. `'2s'`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `keystore:` block: a directory (`fs`) or an Azure Key Vault. */
export type KeystoreBlock =
  | { readonly fs: { readonly path: string } }
  | {
      readonly azure: {
        readonly keyvault: {
          readonly endpoint: string;
          readonly credentials: { readonly tenant_id: string; readonly client_id: string; readonly client_secret: string };
          readonly authority_host: string;
          readonly ca_file: string;
          readonly disable_challenge_resource_verification: true;
        };
      };
    };

/** What a scenario sets; everything else keeps the server's defaults. */
export interface ConfigSpec {
  readonly adminIdentity: string;
  readonly keystore: KeystoreBlock;
  /** `limits:` (project extension), e.g. `{ handshake_timeout: '2s' }`. */
  readonly limits?: Readonly<Record<string, string | number>>;
  /** `api:` overrides by registered path, e.g. `{ '/v1/key/encrypt/': { timeout: '3s' } }`. */
  readonly api?: Readonly<Record<string, { timeout?: string; skip_auth?: boolean }>>;
  /** `cache.expiry`, e.g. `{ any: '5m', unused: '30s', offline: '0s' }`. */
  readonly cacheExpiry?: Readonly<Record<'any' | 'unused' | 'offline', string>>;
  readonly policies?: Readonly<Record<string, { allow: string[]; deny?: string[]; identities: string[] }>>;
  /** `log.error` / `log.audit` levels; defaults here: error on, audit off (a soak would write gigabytes). */
  readonly log?: { readonly error?: string; readonly audit?: string };
}

/**
 * Writes `<dir>/<name>` (default `config.yml`) for a server whose TLS files are `server.key`/`server.crt` in `dir`.
 * @returns the file's path.
 */
export function writeConfig(dir: string, spec: ConfigSpec, name = 'config.yml'): string {
  const config: Record<string, unknown> = {
    admin: { identity: spec.adminIdentity },
    tls: { key: join(dir, 'server.key'), cert: join(dir, 'server.crt') },
    log: { error: spec.log?.error ?? 'on', audit: spec.log?.audit ?? 'off' },
    keystore: spec.keystore,
  };
  if (spec.policies !== undefined) config['policy'] = spec.policies;
  if (spec.cacheExpiry !== undefined) config['cache'] = { expiry: spec.cacheExpiry };
  if (spec.api !== undefined) config['api'] = spec.api;
  if (spec.limits !== undefined) config['limits'] = spec.limits;
  const file = join(dir, name);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}
