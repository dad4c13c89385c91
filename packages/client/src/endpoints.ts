/**
 * Endpoint parsing and ordering like the kes CLI (`cmd/kes/main.go newClient`) and the Go SDK's load balancer
 * (`kms-go kes/retry.go prepareLoadBalancer`): endpoints on the local host first, then endpoints in a local
 * network, then the rest.
 */
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { KesClientError } from './errors.js';

/**
 * Normalizes endpoints like the kes CLI: each string is split on commas and trimmed, empty parts are dropped,
 * `http://` is stripped and `https://` prepended when the part has no `https://` scheme, a trailing `/` is removed.
 * @returns the endpoints as `https://host[:port]` URLs, in input order, duplicates removed.
 * @throws KesClientError `CONFIG` when nothing remains or a part is not a valid `https://host[:port]` URL
 *   (paths, queries and credentials are rejected).
 */
export function parseEndpoints(input: string | readonly string[]): string[] {
  const parts = (typeof input === 'string' ? [input] : input).flatMap((s) => s.split(','));
  const out: string[] = [];
  for (const raw of parts) {
    let part = raw.trim();
    if (part === '') continue;
    if (part.startsWith('http://')) part = part.slice('http://'.length);
    if (!part.startsWith('https://')) part = `https://${part}`;
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      throw new KesClientError('CONFIG', 0, `invalid server endpoint '${raw.trim()}'`);
    }
    if (url.hostname === '' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
      throw new KesClientError('CONFIG', 0, `invalid server endpoint '${raw.trim()}'`);
    }
    if (url.pathname !== '/' && url.pathname !== '') {
      throw new KesClientError('CONFIG', 0, `invalid server endpoint '${raw.trim()}': it must not contain a path`);
    }
    const normalized = `https://${url.host}`;
    if (!out.includes(normalized)) out.push(normalized);
  }
  if (out.length === 0) throw new KesClientError('CONFIG', 0, 'no server endpoint specified (no hosts / IPs)');
  return out;
}

/** How close an endpoint is: 0 = this host, 1 = a directly attached network, 2 = elsewhere. */
export type EndpointRank = 0 | 1 | 2;

function bareHost(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Ranks an endpoint by its host: `localhost`, loopback addresses and addresses of this machine's interfaces are 0,
 * IP addresses inside one of this machine's interface networks are 1, everything else (including host names other
 * than `localhost`, which are not resolved) is 2. Never throws for endpoints from {@link parseEndpoints}.
 */
export function rankEndpoint(endpoint: string, interfaces = networkInterfaces()): EndpointRank {
  const host = bareHost(endpoint);
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1') return 0;
  const family = isIP(host);
  if (family === 0) return 2;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const local = new BlockList();
  for (const addrs of Object.values(interfaces)) {
    for (const a of addrs ?? []) {
      if ((a.family === 'IPv4' ? 4 : 6) !== family) continue;
      if (a.address === host) return 0;
      if (a.cidr !== null) {
        const prefix = Number(a.cidr.slice(a.cidr.lastIndexOf('/') + 1));
        local.addSubnet(a.address, prefix, type);
      }
    }
  }
  return local.check(host, type) ? 1 : 2;
}

/** Returns `endpoints` stably sorted by {@link rankEndpoint} (local host first). Never throws. */
export function orderEndpoints(endpoints: readonly string[]): string[] {
  const interfaces = networkInterfaces();
  return endpoints
    .map((e, i) => ({ e, i, r: rankEndpoint(e, interfaces) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.e);
}
