/**
 * Request encoding shared by the client methods: paths, JSON bodies, headers.
 */
import { encodeBase64 } from '@kes/core';

/** Headers of a JSON request body. */
export const JSON_HEADERS = { 'Content-Type': 'application/json' };
/** Asks for the Prometheus text format (not protobuf). */
export const METRICS_ACCEPT = { Accept: 'text/plain; version=0.0.4' };

/**
 * `api` + `/` + the path-escaped argument (`*` as `%2A`, like Go's `url.PathEscape`). An empty argument still gets
 * the slash (`/v1/key/list/`), which every server serves directly (Go's mux would redirect the bare path).
 */
export function route(api: string, arg: string): string {
  return `${api}/${encodeURIComponent(arg).replaceAll('*', '%2A')}`;
}

/** UTF-8 JSON of `value`. Never throws for plain data. */
export function jsonBody(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Adds `context` (base64) to a request object unless it is absent or empty (as the Go SDK does). Returns `o`. */
export function withContext(o: Record<string, string>, context: Uint8Array | undefined): Record<string, string> {
  if (context !== undefined && context.byteLength > 0) o['context'] = encodeBase64(context);
  return o;
}
