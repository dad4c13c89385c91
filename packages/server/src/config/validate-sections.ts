import { formatGoDuration, nanosToMillis } from './duration.js';
import { LogLevel } from '../log/levels.js';
import { ROUTES } from '../routing/routes.js';
import { parseLogLevel } from './log-level.js';
import type { ConfigReader, Path } from './reader.js';
import type { ServerConfig } from './server-config.js';
import { closestName } from './suggest.js';
import { entryOf, uniqueEntries, type MapNode } from './yaml-tree.js';

/** The registered route paths an `api:` key may name (spec §2.1, plus bulk decrypt, §12): the server's route table. */
export const API_ROUTES: readonly string[] = ROUTES.map((route) => route.path);

/** The default header carrying a forwarded client certificate (spec §3.5). */
export const DEFAULT_PROXY_CERT_HEADER = 'X-Tls-Client-Cert';

/**
 * Checks the keys of `map` against `known`: a near miss (`polcy`) is an error with a suggestion, anything else is
 * ignored like upstream does, with a warning.
 */
export function checkKnownKeys(r: ConfigReader, map: MapNode | undefined, path: Path, known: readonly string[]): void {
  if (map === undefined) return;
  for (const e of uniqueEntries(map)) {
    if (known.includes(e.key) || e.merged) continue;
    const suggestion = closestName(e.key, known);
    const where = path.length === 0 ? 'top-level field' : `field of '${path.join('.')}'`;
    if (suggestion !== undefined) r.error([...path, e.key], `unknown ${where} '${e.key}'`, `did you mean '${suggestion}'?`);
    else r.warn([...path, e.key], `unknown ${where} '${e.key}' is ignored`, `known fields: ${known.join(', ')}`);
  }
}

/** Reads `tls:` (spec §1.1, §3.5). `undefined` fields were reported. */
export function readTls(r: ConfigReader): Omit<ServerConfig['tls'], 'proxy'> & { proxyIdentities: Map<string, Path>; certHeader: string } {
  const tls = r.map(r.node(['tls']), ['tls']);
  checkKnownKeys(r, tls, ['tls'], ['key', 'cert', 'password', 'auth', 'ca', 'proxy']);
  const field = (name: string) => (tls ? r.text(entryOf(tls, name)?.value, ['tls', name]) : undefined);
  const required = (name: string, message: string, hint: string) => {
    const before = r.problems.length;
    const value = field(name);
    if (value === undefined ? r.problems.length === before : value.trim() === '') r.error(['tls', name], message, hint);
    return value ?? '';
  };
  const key = required('key', 'kesconf: invalid tls config: no private key', "set tls.key to the server's PEM private key file, e.g. ./private.key");
  const cert = required('cert', 'kesconf: invalid tls config: no certificate', "set tls.cert to the server's PEM certificate file, e.g. ./public.crt");
  const authText = field('auth') ?? '';
  const authLower = authText.toLowerCase();
  if (!['', 'off', 'on'].includes(authLower)) {
    r.error(['tls', 'auth'], `kesconf: invalid tls config: invalid auth '${authText}'`, "use 'on' (verify client certificates against tls.ca) or 'off' (default)");
  }
  const ca = field('ca') ?? '';
  const proxy = r.map(r.node(['tls', 'proxy']), ['tls', 'proxy']);
  checkKnownKeys(r, proxy, ['tls', 'proxy'], ['identities', 'header']);
  const proxyIdentities = new Map<string, Path>();
  const idsPath: Path = ['tls', 'proxy', 'identities'];
  (r.seq(r.node(idsPath), idsPath) ?? []).forEach((item, i) => {
    const id = r.text(item, [...idsPath, i]);
    if (id !== undefined && id.trim() !== '' && !proxyIdentities.has(id)) proxyIdentities.set(id, [...idsPath, i]);
  });
  const header = r.map(r.node(['tls', 'proxy', 'header']), ['tls', 'proxy', 'header']);
  checkKnownKeys(r, header, ['tls', 'proxy', 'header'], ['cert']);
  const certHeader = (header ? r.text(entryOf(header, 'cert')?.value, ['tls', 'proxy', 'header', 'cert']) : undefined) || DEFAULT_PROXY_CERT_HEADER;
  return {
    key,
    cert,
    password: field('password') ?? '',
    auth: authLower === 'on' ? 'on' : 'off',
    ...(ca === '' ? {} : { ca }),
    proxyIdentities,
    certHeader,
  };
}

/** Reads `cache.expiry` (spec §6.2, §8.3) with the documented defaults any = 5m, unused = 30s, offline = 0. */
export function readCache(r: ConfigReader): ServerConfig['cache'] {
  const cache = r.map(r.node(['cache']), ['cache']);
  checkKnownKeys(r, cache, ['cache'], ['expiry']);
  const expiry = r.map(r.node(['cache', 'expiry']), ['cache', 'expiry']);
  checkKnownKeys(r, expiry, ['cache', 'expiry'], ['any', 'unused', 'offline']);
  const read = (name: string, fallbackMs: number, label: string) => {
    const path: Path = ['cache', 'expiry', name];
    const ns = r.duration(r.node(path), path);
    if (ns === undefined) return fallbackMs;
    if (ns < 0n) r.error(path, `kesconf: invalid ${label} '${formatGoDuration(ns)}'`, 'an expiry must not be negative; 0s disables it');
    return nanosToMillis(ns);
  };
  return {
    anyMs: read('any', 5 * 60_000, 'cache expiry'),
    unusedMs: read('unused', 30_000, 'cache unused expiry'),
    offlineMs: read('offline', 0, 'offline cache expiry'),
  };
}

/** Reads `api:` overrides (spec §6.2); keys are registered route paths, taken literally. */
export function readApi(r: ConfigReader): ServerConfig['api'] {
  const out: Record<string, { skipAuth: boolean; timeoutMs?: number }> = {};
  const api = r.map(r.node(['api']), ['api']);
  if (api === undefined) return out;
  for (const e of uniqueEntries(api)) {
    const path: Path = ['api', e.key];
    if (!API_ROUTES.includes(e.key)) {
      const slash = e.key.endsWith('/') ? e.key.slice(0, -1) : `${e.key}/`;
      const suggestion = API_ROUTES.includes(slash) ? slash : closestName(e.key, API_ROUTES, 2);
      if (suggestion !== undefined) r.error(path, `'${e.key}' is not an API path`, `did you mean '${suggestion}'? The key must equal the registered path exactly`);
      else r.warn(path, `'${e.key}' is not an API path and is ignored`, `API paths: ${API_ROUTES.join(', ')}`);
      continue;
    }
    const body = r.map(e.value, path);
    checkKnownKeys(r, body, path, ['skip_auth', 'timeout']);
    const skipAuth = body ? r.bool(entryOf(body, 'skip_auth')?.value, [...path, 'skip_auth']) ?? false : false;
    const ns = body ? r.duration(entryOf(body, 'timeout')?.value, [...path, 'timeout']) : undefined;
    if (ns !== undefined && ns < 0n) {
      r.error([...path, 'timeout'], `kesconf: invalid timeout '${formatGoDuration(ns)}' for API '${e.key}'`, 'a timeout must not be negative; 0s keeps the default');
    }
    out[e.key] = { skipAuth, ...(ns !== undefined && ns > 0n ? { timeoutMs: nanosToMillis(ns) } : {}) };
  }
  return out;
}

/**
 * Reads `log.error` and `log.audit` (spec §6.2); both default to INFO. Also `log.format` (a project extension):
 * `text` (default) or `json` for the stderr records.
 */
export function readLog(r: ConfigReader): ServerConfig['log'] {
  const log = r.map(r.node(['log']), ['log']);
  checkKnownKeys(r, log, ['log'], ['error', 'audit', 'format']);
  const level = (name: 'error' | 'audit') => {
    const path: Path = ['log', name];
    const text = log ? r.text(entryOf(log, name)?.value, path) : undefined;
    if (text === undefined) return LogLevel.INFO;
    const parsed = parseLogLevel(text);
    if (parsed === undefined) {
      r.error(path, `kesconf: invalid ${name} log level '${text}'`, 'use on, off, debug, info, warn or error (optionally with an offset such as INFO+2), or an slog level number');
    }
    return parsed ?? LogLevel.INFO;
  };
  const format = log ? r.text(entryOf(log, 'format')?.value, ['log', 'format'])?.toLowerCase() : undefined;
  if (format !== undefined && format !== 'text' && format !== 'json') {
    r.error(['log', 'format'], `invalid log format '${format}'`, 'use text (slog text lines, the default) or json (one JSON object per line)');
  }
  return { errorLevel: level('error'), auditLevel: level('audit'), ...(format === 'json' || format === 'text' ? { format } : {}) };
}

/** Reads `keys:` (spec §6.2): `- name: <key>` entries, each name once. */
export function readKeys(r: ConfigReader): string[] {
  const names: string[] = [];
  const first = new Map<string, Path>();
  const items = r.seq(r.node(['keys']), ['keys']) ?? [];
  items.forEach((item, i) => {
    const path: Path = ['keys', i];
    if (item.kind !== 'map') {
      const hint = item.kind === 'scalar' ? `write '- name: ${item.text}'` : "write one '- name: <key>' entry per key";
      r.error(path, 'each entry of keys must be a mapping with a name', hint);
      return;
    }
    checkKnownKeys(r, item, path, ['name']);
    const name = r.text(entryOf(item, 'name')?.value, [...path, 'name']);
    if (name === undefined || name === '') {
      if (name === '' || entryOf(item, 'name') === undefined) r.error([...path, 'name'], 'key name is empty', "write '- name: <key>'");
      return;
    }
    const previous = first.get(name);
    if (previous !== undefined) {
      r.error([...path, 'name'], `kesconf: invalid key config: key '${name}' is defined multiple times`, 'delete the repeated entry', [[...previous, 'name']]);
      return;
    }
    first.set(name, path);
    names.push(name);
  });
  return names;
}
