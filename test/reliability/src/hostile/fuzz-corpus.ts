/**
 * The fuzzer's seed corpus: valid requests as KES clients send them (the Go SDK's and MinIO's methods, paths, headers
 * and bodies), recorded against a live server during set-up so that ciphertexts are real.
 */

/** A request, structured so that each part can be mutated on its own. */
export interface FuzzRequest {
  method: string;
  path: string;
  /** Header lines in order (names as sent); `content-length` is added at serialization unless `rawFraming`. */
  headers: Array<[string, string]>;
  body: Buffer;
  /** The body is sent chunked (`Transfer-Encoding: chunked` is then among the headers). */
  chunked: boolean;
}

/** What the corpus needs from the live server. */
export interface CorpusMaterial {
  /** An existing key. */
  readonly key: string;
  /** A ciphertext of that key (base64) and the context (base64) it was made with. */
  readonly ciphertext: string;
  readonly context: string;
  /** A 32-byte key in base64, for import. */
  readonly importKey: string;
  /** An identity (hex) that exists (the admin's). */
  readonly identity: string;
}

const BASE_HEADERS: Array<[string, string]> = [
  ['Host', '127.0.0.1'],
  ['User-Agent', 'Go-http-client/1.1'],
  ['Accept-Encoding', 'gzip'],
];

function req(method: string, path: string, body?: unknown): FuzzRequest {
  const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
  const headers: Array<[string, string]> = [...BASE_HEADERS.map(([k, v]) => [k, v] as [string, string])];
  if (body !== undefined) headers.push(['Content-Type', 'application/json']);
  return { method, path, headers, body: bytes, chunked: false };
}

/** The corpus: one entry per route (and per body variant). Fresh objects on every call. */
export function corpus(m: CorpusMaterial): FuzzRequest[] {
  return [
    req('GET', '/version'),
    req('GET', '/v1/ready'),
    req('GET', '/v1/status'),
    req('GET', '/v1/api'),
    req('GET', '/v1/metrics'),
    req('POST', `/v1/key/create/fuzz-new`),
    req('POST', `/v1/key/import/fuzz-imported`, { key: m.importKey, cipher: 'AES256' }),
    req('PUT', `/v1/key/import/fuzz-legacy`, { bytes: m.importKey }),
    req('GET', `/v1/key/describe/${m.key}`),
    req('GET', '/v1/key/list/*'),
    req('GET', '/v1/key/list/fuzz'),
    req('DELETE', `/v1/key/delete/fuzz-new`),
    req('POST', `/v1/key/generate/${m.key}`, { context: m.context }),
    req('POST', `/v1/key/generate/${m.key}`),
    req('POST', `/v1/key/encrypt/${m.key}`, { plaintext: 'aGVsbG8gd29ybGQ=', context: m.context }),
    req('POST', `/v1/key/decrypt/${m.key}`, { ciphertext: m.ciphertext, context: m.context }),
    req('PUT', `/v1/key/hmac/${m.key}`, { message: 'bWVzc2FnZQ==' }),
    req('POST', `/v1/key/bulk/decrypt/${m.key}`, [{ ciphertext: m.ciphertext, context: m.context }]),
    req('GET', '/v1/policy/list/*'),
    req('GET', '/v1/policy/describe/fuzz-policy'),
    req('GET', '/v1/policy/read/fuzz-policy'),
    req('GET', `/v1/identity/describe/${m.identity}`),
    req('GET', '/v1/identity/list/*'),
    req('GET', '/v1/identity/self/describe'),
  ];
}

/**
 * The bytes of `r` on the wire: request line, headers (plus `Content-Length` for a non-chunked body unless the
 * headers already carry framing), body (chunked in three parts when `chunked`).
 */
export function serialize(r: FuzzRequest): Buffer {
  const hasFraming = r.headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k));
  const headers = [...r.headers];
  if (!r.chunked && !hasFraming && (r.body.length > 0 || r.method === 'POST' || r.method === 'PUT')) headers.push(['Content-Length', String(r.body.length)]);
  const head = `${r.method} ${r.path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  if (!r.chunked) return Buffer.concat([Buffer.from(head, 'latin1'), r.body]);
  const parts: Buffer[] = [Buffer.from(head, 'latin1')];
  const step = Math.max(1, Math.ceil(r.body.length / 3));
  for (let i = 0; i < r.body.length; i += step) {
    const chunk = r.body.subarray(i, i + step);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}
