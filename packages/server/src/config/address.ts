import { isIP } from 'node:net';
import type { ListenAddress } from './server-config.js';

/**
 * Parses a listening address `ip:port` like Go's `net.SplitHostPort` as KES uses it: the host is an IP literal
 * (IPv6 in brackets) or empty for all interfaces; the port is a decimal number 0–65535 (0 = any free port).
 * @returns the address, or a reason why `text` is not one.
 */
export function parseListenAddress(text: string): ListenAddress | { error: string } {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { error: 'missing port' };
  let host = text.slice(0, colon);
  const port = text.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.includes(':')) return { error: 'an IPv6 address must be written in brackets, e.g. [::1]:7373' };
  if (host !== '' && isIP(host) === 0) return { error: `host '${host}' is not an IP address` };
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) return { error: `invalid port '${port}'` };
  return { host, port: Number(port) };
}

/** Formats an address as `host:port` (`[::1]:7373`, `0.0.0.0:7373`, `:7373`). Never throws. */
export function formatListenAddress(address: ListenAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
