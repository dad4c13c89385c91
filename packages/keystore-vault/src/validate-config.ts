import type { ConfigPath, KeystoreConfigResult } from '@kes/core';
import { BlockReader, label, shown, type PlainMap } from './block-reader.js';
import { VAULT_DEFAULTS, type KvVersion, type VaultAuthConfig, type VaultKeystoreConfig, type VaultTlsConfig, type VaultTransitConfig } from './config.js';
import { parseGoDurationMs } from './go-duration.js';

const TOP_FIELDS = ['endpoint', 'engine', 'version', 'namespace', 'prefix', 'approle', 'kubernetes', 'transit', 'tls', 'status'];
const AUTH_HINT = 'log in with exactly one of approle: { id, secret } or kubernetes: { role, jwt }';

/**
 * Validates the `keystore.vault` block (spec `aws-vault.md` §3.1) as the server hands it over (plain YAML data,
 * `${VAR}` already substituted). Pure: no I/O, no environment reads. Reports every problem, each with its path
 * relative to the block and a hint. Unknown fields are warnings, or problems when they look like a misspelled field.
 * @returns the config with defaults applied, or the problems. Never throws.
 */
export function validateVaultBlock(block: unknown): KeystoreConfigResult<VaultKeystoreConfig> {
  const r = new BlockReader();
  if (block !== null && block !== undefined && (typeof block !== 'object' || Array.isArray(block))) {
    r.problem([], 'vault must be a mapping', 'write keystore: { vault: { endpoint: https://vault:8200, approle: { id, secret } } }');
    return { ok: false, problems: r.problems };
  }
  const map = (block ?? {}) as PlainMap;
  r.unknownFields(map, [], TOP_FIELDS);
  const endpoint = readEndpoint(r, map);
  const engine = readMountPath(r, map, 'engine', []) ?? VAULT_DEFAULTS.engine;
  const version = readVersion(r, map);
  const namespace = r.string(map, 'namespace', []) ?? '';
  const prefix = readMountPath(r, map, 'prefix', []) ?? '';
  const auth = readAuth(r, map);
  const transit = readTransit(r, map);
  const tls = readTls(r, map);
  const statusPingMs = readPing(r, map);
  if (r.problems.length > 0 || endpoint === undefined || auth === undefined) {
    return { ok: false, problems: r.problems };
  }
  const config: VaultKeystoreConfig = {
    endpoint,
    engine,
    version,
    namespace,
    prefix,
    auth,
    ...(transit ? { transit } : {}),
    tls,
    statusPingMs,
  };
  return r.warnings.length > 0 ? { ok: true, config, warnings: r.warnings } : { ok: true, config };
}

function readEndpoint(r: BlockReader, map: PlainMap): string | undefined {
  const hint = "set it to Vault's URL, e.g. https://vault.example.com:8200";
  const text = r.string(map, 'endpoint', [], { required: true, hint });
  if (text === undefined) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    r.problem(['endpoint'], `endpoint '${text}' has no scheme`, `write https://${text} (or http:// for a Vault without TLS)`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    r.problem(['endpoint'], `endpoint '${text}' is not a valid URL`, hint);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    r.problem(['endpoint'], `endpoint '${text}' must use https or http`, hint);
    return undefined;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    r.problem(['endpoint'], `endpoint '${text}' must not contain credentials, a query or a fragment`, hint);
    return undefined;
  }
  return url.href.replace(/\/+$/, '');
}

/** A mount path or prefix: slashes at both ends are dropped (KES joins with Go's `path.Join`). */
function readMountPath(r: BlockReader, map: PlainMap | undefined, field: string, path: ConfigPath): string | undefined {
  const text = r.string(map, field, path);
  if (text === undefined) return undefined;
  const segments = text.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    r.problem([...path, field], `${label([...path, field])} '${text}' must not contain '..'`, 'write the path inside Vault without relative parts');
    return undefined;
  }
  return segments.length === 0 ? undefined : segments.join('/');
}

function readVersion(r: BlockReader, map: PlainMap): KvVersion {
  const value = map['version'];
  if (value === undefined || value === null || value === '') return VAULT_DEFAULTS.version;
  if (value === 'v1' || value === 'v2') return value;
  const written = typeof value === 'string' ? `'${value}'` : shown(value);
  r.problem(['version'], `version ${written} is not a K/V engine version`, 'write v1 (the default) or v2, the version of the K/V mount');
  return VAULT_DEFAULTS.version;
}

function readAuth(r: BlockReader, map: PlainMap): VaultAuthConfig | undefined {
  const approle = r.map(map['approle'], ['approle'], 'write approle: { id: <role id>, secret: <secret id> }');
  const kubernetes = r.map(map['kubernetes'], ['kubernetes'], 'write kubernetes: { role: <role>, jwt: <token or file> }');
  const hasApprole = approle !== undefined && !isBlank(approle);
  const hasKubernetes = kubernetes !== undefined && !isBlank(kubernetes);
  if (hasApprole && hasKubernetes) {
    r.problem(['approle'], 'approle and kubernetes must not both be set', `${AUTH_HINT}; delete the other block`, [['kubernetes']]);
    return undefined;
  }
  if (hasKubernetes) {
    r.unknownFields(kubernetes, ['kubernetes'], ['engine', 'namespace', 'role', 'jwt']);
    const engine = readMountPath(r, kubernetes, 'engine', ['kubernetes']) ?? VAULT_DEFAULTS.kubernetesEngine;
    const namespace = r.string(kubernetes, 'namespace', ['kubernetes']) ?? '';
    const role = r.string(kubernetes, 'role', ['kubernetes'], { required: true, hint: 'set it to the Vault role bound to the service account' });
    const jwt = r.string(kubernetes, 'jwt', ['kubernetes'], {
      required: true,
      hint: 'set it to the service account token or to a file that holds it, e.g. /var/run/secrets/kubernetes.io/serviceaccount/token',
    });
    return role && jwt ? { method: 'kubernetes', engine, namespace, role, jwt } : undefined;
  }
  if (!hasApprole) {
    r.problem(['approle'], 'a login method is required', AUTH_HINT);
    return undefined;
  }
  r.unknownFields(approle, ['approle'], ['engine', 'namespace', 'id', 'secret']);
  const engine = readMountPath(r, approle, 'engine', ['approle']) ?? VAULT_DEFAULTS.approleEngine;
  const namespace = r.string(approle, 'namespace', ['approle']) ?? '';
  const id = r.string(approle, 'id', ['approle'], { required: true, hint: 'set it to the AppRole role ID (vault read auth/approle/role/<name>/role-id)' });
  const secret = r.string(approle, 'secret', ['approle'], {
    required: true,
    hint: 'set it to an AppRole secret ID (vault write -f auth/approle/role/<name>/secret-id)',
  });
  return id && secret ? { method: 'approle', engine, namespace, id, secret } : undefined;
}

function readTransit(r: BlockReader, map: PlainMap): VaultTransitConfig | undefined {
  const transit = r.map(map['transit'], ['transit'], 'write transit: { key: <transit key name> }');
  if (transit === undefined) return undefined;
  r.unknownFields(transit, ['transit'], ['engine', 'key']);
  const engine = readMountPath(r, transit, 'engine', ['transit']) ?? VAULT_DEFAULTS.transitEngine;
  const key = r.string(transit, 'key', ['transit'], { required: true, hint: 'set it to the name of the transit key that wraps the stored keys' });
  return key ? { engine, key } : undefined;
}

function readTls(r: BlockReader, map: PlainMap): VaultTlsConfig {
  const tls = r.map(map['tls'], ['tls'], 'write tls: { key: client.key, cert: client.crt, ca: ca.pem }');
  r.unknownFields(tls, ['tls'], ['key', 'cert', 'ca']);
  const key = r.string(tls, 'key', ['tls']);
  const cert = r.string(tls, 'cert', ['tls']);
  const ca = r.string(tls, 'ca', ['tls']);
  if ((key === undefined) !== (cert === undefined)) {
    const missing = key === undefined ? 'key' : 'cert';
    r.problem(['tls', missing], `tls.${missing} is required when tls.${missing === 'key' ? 'cert' : 'key'} is set`, 'give the client certificate and its private key together, or neither');
  }
  return { ...(key ? { key } : {}), ...(cert ? { cert } : {}), ...(ca ? { ca } : {}) };
}

function readPing(r: BlockReader, map: PlainMap): number {
  const status = r.map(map['status'], ['status'], 'write status: { ping: 15s }');
  r.unknownFields(status, ['status'], ['ping']);
  const value = status?.['ping'];
  if (value === undefined || value === null || value === '') return VAULT_DEFAULTS.statusPingMs;
  const hint = 'write a Go duration such as 15s, 1m or 500ms';
  if (typeof value !== 'string') {
    r.problem(['status', 'ping'], `status.ping ${shown(value)} is not a duration`, `${hint} (a bare number has no unit)`);
    return VAULT_DEFAULTS.statusPingMs;
  }
  const ms = parseGoDurationMs(value.trim());
  if (ms === undefined || ms < 0) {
    r.problem(['status', 'ping'], `status.ping '${value}' is not a valid duration`, ms === undefined ? hint : 'the interval must not be negative');
    return VAULT_DEFAULTS.statusPingMs;
  }
  return ms === 0 ? VAULT_DEFAULTS.statusPingMs : Math.max(1, ms);
}

/** True when every field of an auth block is absent or empty (KES then treats the block as not given). */
function isBlank(map: PlainMap): boolean {
  return Object.values(map).every((v) => v === undefined || v === null || v === '');
}
