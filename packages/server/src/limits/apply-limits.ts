/**
 * Applying {@link ServerLimits} to the Node listener: what Node enforces itself (HTTP/1.1 head size, HTTP/2 settings,
 * socket inactivity) — the rest is the connection tracker's job.
 */
import type { Http2SecureServer, Settings } from 'node:http2';
import type { ServerLimits } from './server-limits.js';

/** The HTTP/2 settings the server announces for `limits`. */
export function http2Settings(limits: ServerLimits): Settings {
  return { maxConcurrentStreams: limits.maxStreamsPerSession, maxHeaderListSize: limits.maxHeaderBytes };
}

/**
 * Sets the limits Node enforces on `server`: the HTTP/1.1 head size (431 beyond it), the HTTP/2 settings of new
 * sessions (streams beyond the limit are refused, heads beyond the size reset) and the socket/session inactivity
 * timeout (= the keep-alive period; log streams switch it off for their connection). Never throws.
 */
export function applyListenerLimits(server: Http2SecureServer, limits: ServerLimits): void {
  (server as Http2SecureServer & { maxHeaderSize?: number }).maxHeaderSize = limits.maxHeaderBytes;
  server.updateSettings(http2Settings(limits));
  server.setTimeout(limits.idleTimeoutMs);
}
