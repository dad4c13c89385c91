/**
 * The one place that writes HTTP responses, byte for byte as KES does (spec `kes-protocol.md` §1.3):
 *
 * - success with a body: 200, `Content-Type: application/json`, compact JSON (Go escaping) followed by `\n`;
 * - success without a body: 200, `Content-Length: 0`, no `Content-Type`;
 * - error: `{"message":<JSON string>\n}` with `Content-Type: application/json` and an explicit `Content-Length`;
 * - Go `ServeMux` texts for unknown paths, malformed request targets and redirects.
 *
 * Every writer is a no-op when the response has already started or the stream is gone, so a late timeout or a client
 * that disconnected can never make the server throw.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { HttpResponse } from './types.js';

const GO_ESCAPES = /[<>&\u2028\u2029]/g;
const HAS_GO_ESCAPE = /[<>&\u2028\u2029]/;

/**
 * Serializes `value` like Go's `encoding/json` (`json.Marshal`/`Encoder` with HTML escaping on): `<`, `>`, `&`,
 * U+2028 and U+2029 inside strings become `\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`. `undefined` members are
 * omitted (the `omitempty` fields). Never throws for plain data.
 */
export function goJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!HAS_GO_ESCAPE.test(json)) return json;
  return json.replace(GO_ESCAPES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Printable ASCII that neither JSON nor Go's HTML-safe encoder escapes (no `"`, `\`, `<`, `>`, `&`). */
const PLAIN_STRING = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

/** {@link goJson} of one string, without the serializer for the plain text of IPs, paths, identities. Never throws. */
export function goJsonString(text: string): string {
  return PLAIN_STRING.test(text) ? `"${text}"` : goJson(text);
}

/** The exact error body KES sends: `{"message":` + JSON string + `\n}`. Never throws. */
export function errorBody(message: string): string {
  return `{"message":${goJson(message)}\n}`;
}

/** True when nothing may be written any more (headers out, stream closed or destroyed). */
export function isFinished(res: HttpResponse): boolean {
  return res.headersSent || res.writableEnded || res.destroyed;
}

const NO_HEADERS: OutgoingHttpHeaders = Object.freeze({});

/**
 * Writes the whole answer: `extra` headers, then `Content-Type` (when given) and `Content-Length`. A string body goes
 * out as one write together with the head (Node joins a string body to the HTTP/1.1 head; a Buffer body would take a
 * second chunk and a vectored write), hence strings on the hot paths; the head object is built once, without spreads.
 */
function send(
  res: HttpResponse,
  status: number,
  contentType: string | undefined,
  body: Buffer | string,
  extra: OutgoingHttpHeaders,
): void {
  if (isFinished(res)) return;
  const length = String(typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length);
  let head: OutgoingHttpHeaders;
  if (extra === NO_HEADERS) {
    head = contentType === undefined ? { 'content-length': length } : { 'content-type': contentType, 'content-length': length };
  } else {
    head = { ...extra };
    if (contentType !== undefined) head['content-type'] = contentType;
    head['content-length'] = length;
  }
  res.writeHead(status, head);
  res.end(body);
}

/** 200 with `value` as Go-encoded JSON plus a trailing newline; `headers` are added. */
export function sendJson(res: HttpResponse, value: unknown, headers: OutgoingHttpHeaders = NO_HEADERS): void {
  sendJsonText(res, goJson(value), headers);
}

/** 200 with `text` (JSON already encoded as Go encodes it) plus a trailing newline; `headers` are added. */
export function sendJsonText(res: HttpResponse, text: string, headers: OutgoingHttpHeaders = NO_HEADERS): void {
  send(res, 200, 'application/json', `${text}\n`, headers);
}

/** 200 with no body: `Content-Length: 0`, no `Content-Type`; `headers` are added. */
export function sendEmpty(res: HttpResponse, headers: OutgoingHttpHeaders = NO_HEADERS): void {
  send(res, 200, undefined, '', headers);
}

/** 200 with a body of the given content type, sent as is (e.g. the Prometheus exposition); `headers` are added. */
export function sendRaw(
  res: HttpResponse,
  contentType: string,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = NO_HEADERS,
): void {
  send(res, 200, contentType, body, headers);
}

/** A KES error response `{"message":…\n}` with `status`; `headers` are added (e.g. `Accept` on a 405). */
export function sendError(res: HttpResponse, status: number, message: string, headers: OutgoingHttpHeaders = NO_HEADERS): void {
  send(res, status, 'application/json', errorBody(message), headers);
}

/** Go `ServeMux`'s answer for an unknown path: 404 `text/plain; charset=utf-8` `404 page not found\n`. */
export function sendNotFound(res: HttpResponse): void {
  send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n', NO_HEADERS);
}

/** Go `net/http`'s answer for a request target it cannot parse (e.g. a bad percent escape). */
export function sendBadRequestText(res: HttpResponse, headers: OutgoingHttpHeaders = NO_HEADERS): void {
  send(res, 400, 'text/plain; charset=utf-8', '400 Bad Request', headers);
}

/**
 * Go's `http.Redirect` with 301: `Location` header; for GET and HEAD an HTML body
 * `<a href="…">Moved Permanently</a>.\n\n`, for other methods no body.
 */
export function sendRedirect(res: HttpResponse, method: string, location: string): void {
  if (method === 'GET' || method === 'HEAD') {
    const href = location.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;');
    send(res, 301, 'text/html; charset=utf-8', `<a href="${href}">Moved Permanently</a>.\n\n`, { location });
  } else {
    send(res, 301, undefined, '', { location });
  }
}

/** 431 with no body: the answer to a request head above the size limit (what Node sends for HTTP/1.1 itself). */
export function sendHeadersTooLarge(res: HttpResponse): void {
  send(res, 431, undefined, '', NO_HEADERS);
}
