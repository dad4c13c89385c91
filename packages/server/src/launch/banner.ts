import { networkInterfaces } from 'node:os';
import { formatLogLevel } from '../config/index.js';
import { memoryLockLines, type MemoryLockProbe } from './memory-lock.js';

/** Everything the start-up banner shows (spec §7.2: what upstream `kes server` prints). */
export interface BannerInfo {
  readonly version: string;
  readonly commit: string;
  readonly license: string;
  /** Keystore title, and where the keys live if known. */
  readonly kms: { readonly title: string; readonly description?: string };
  /** Listening host as configured and the bound port. */
  readonly listen: { readonly host: string; readonly port: number };
  readonly adminIdentity: string;
  /** Development mode: the admin API key, shown once. */
  readonly apiKey?: string;
  readonly log: { readonly errorLevel: number; readonly auditLevel: number };
  readonly mlock: boolean;
  /** What this process can see about memory locking and swap (see memory-lock.ts); omitted = not shown. */
  readonly memory?: MemoryLockProbe;
}

const LABEL = 12;
const DOCS = 'https://min.io/docs/kes (upstream KES documentation; this server is wire-compatible)';

/** The start-up banner as text (ends with a newline). Never throws. */
export function formatBanner(info: BannerInfo, interfaces: () => string[] = localAddresses): string {
  const lines: string[] = [];
  const row = (label: string, ...values: string[]) => values.forEach((v, i) => lines.push(`${(i === 0 ? label : '').padEnd(LABEL)}${v}`));
  row('Version', `${info.version}${info.commit ? `    commit=${info.commit}` : ''}`);
  row('Runtime', `node ${process.version} ${process.platform}/${process.arch}`);
  row('License', info.license);
  lines.push('');
  row('KMS', info.kms.description ? `${info.kms.title}: ${info.kms.description}` : info.kms.title);
  row('API', ...apiUrls(info.listen, interfaces).map((u) => `· ${u}`));
  lines.push('');
  row('Docs', DOCS);
  lines.push('');
  if (info.apiKey !== undefined) row('API Key', info.apiKey);
  row('Admin', isIdentity(info.adminIdentity) ? info.adminIdentity : '<disabled>');
  row('Logs', logLine('error', 'stderr', info.log.errorLevel), logLine('audit', 'stdout', info.log.auditLevel));
  row('MLock', ...memoryLockLines(info.mlock, info.memory));
  if (info.apiKey !== undefined) {
    const [url] = apiUrls(info.listen, interfaces);
    lines.push('');
    row('Try it', `export KES_SERVER=${url ?? ''}`, `export KES_API_KEY=${info.apiKey}`);
  }
  lines.push('', '=> Server is up and running', '');
  return lines.join('\n');
}

/** `https://ip:port` for every address the server can be reached at (all interfaces for 0.0.0.0 / ::). */
export function apiUrls(listen: BannerInfo['listen'], interfaces: () => string[] = localAddresses): string[] {
  const all = listen.host === '0.0.0.0' || listen.host === '' || listen.host === '::';
  const hosts = all ? interfaces().filter((ip) => listen.host === '::' || !ip.includes(':')) : [listen.host];
  return hosts.map((h) => `https://${h.includes(':') ? `[${h}]` : h}:${listen.port}`);
}

// --- Internal helpers ---

function localAddresses(): string[] {
  const out = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  return out.sort((a, b) => Number(b.startsWith('127.')) - Number(a.startsWith('127.')));
}

function isIdentity(s: string): boolean {
  return /^[0-9a-f]{64}$/.test(s);
}

function logLine(name: string, stream: string, level: number): string {
  return level > 8 ? `${name}=off` : `${name}=${stream} level=${formatLogLevel(level)}`;
}

