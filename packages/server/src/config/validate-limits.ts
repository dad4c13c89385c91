/**
 * `limits:` — a project extension of the config file (upstream KES has no such section and would ignore it): the
 * connection cap and transport timeouts of {@link ServerLimits}. Every field is optional; unset fields keep the
 * defaults.
 *
 * ```yaml
 * limits:
 *   max_connections: 4096      # open connections at once
 *   handshake_timeout: 5s      # TLS handshake
 *   header_timeout: 5s         # request head (first request, and each later one from its first byte)
 *   idle_timeout: 90s          # keep-alive
 *   max_header_bytes: 32768    # request head size
 *   max_streams: 128           # concurrent HTTP/2 streams per connection
 * ```
 */
import { resolveLimits, type ServerLimits } from '../limits/server-limits.js';
import { formatGoDuration, nanosToMillis } from './duration.js';
import type { ConfigReader, Path } from './reader.js';
import { checkKnownKeys } from './validate-sections.js';
import { entryOf } from './yaml-tree.js';

const DURATIONS = { handshake_timeout: 'handshakeTimeoutMs', header_timeout: 'headerTimeoutMs', idle_timeout: 'idleTimeoutMs' } as const;
const COUNTS = { max_connections: 'maxConnections', max_header_bytes: 'maxHeaderBytes', max_streams: 'maxStreamsPerSession' } as const;

/** Reads `limits:`; problems (unknown fields, bad numbers, out-of-range values) are recorded on `r`. */
export function readLimits(r: ConfigReader): Partial<ServerLimits> {
  const limits = r.map(r.node(['limits']), ['limits']);
  checkKnownKeys(r, limits, ['limits'], [...Object.keys(DURATIONS), ...Object.keys(COUNTS)]);
  const out: { -readonly [K in keyof ServerLimits]?: number } = {};
  if (limits === undefined) return out;
  for (const [field, name] of Object.entries(DURATIONS)) {
    const path: Path = ['limits', field];
    const ns = r.duration(entryOf(limits, field)?.value, path);
    if (ns === undefined) continue;
    if (ns <= 0n) r.error(path, `invalid ${field.replace('_', ' ')} '${formatGoDuration(ns)}'`, 'a timeout must be positive, e.g. 5s');
    else out[name] = Math.max(1, nanosToMillis(ns));
  }
  for (const [field, name] of Object.entries(COUNTS)) {
    const path: Path = ['limits', field];
    const text = r.text(entryOf(limits, field)?.value, path);
    if (text === undefined) continue;
    if (!/^[0-9]{1,9}$/.test(text.trim())) r.error(path, `invalid ${field.replace(/_/g, ' ')} '${text}'`, 'write a whole number');
    else out[name] = Number(text.trim());
  }
  for (const [field, name] of [...Object.entries(DURATIONS), ...Object.entries(COUNTS)]) {
    if (out[name] === undefined) continue;
    try {
      resolveLimits({ [name]: out[name] });
    } catch (err) {
      r.error(['limits', field], `invalid ${field.replace(/_/g, ' ')}: ${(err as Error).message.replace(/^invalid limit '[^']+': /, '')}`, 'choose a value within the range');
      delete out[name];
    }
  }
  return out;
}
