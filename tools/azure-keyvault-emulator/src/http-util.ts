/**
 * Small HTTP helpers shared by every emulator server: bounded body reading, JSON answers, safe URL parsing.
 * None of them throws on hostile input.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A parsed request target. */
export interface RequestTarget {
  /** Raw (still percent-encoded) path segments, empty ones removed (so a trailing slash is ignored). */
  segments: string[];
  /** Query parameters, names and values percent-decoded (`api%2Dversion` → `api-version`). */
  query: URLSearchParams;
  /** True when the raw path ended with `/`. */
  trailingSlash: boolean;
}

/**
 * Parses `req.url` without throwing.
 * @returns the target, or `undefined` when the URL is unparsable.
 */
export function parseTarget(rawUrl: string | undefined): RequestTarget | undefined {
  if (rawUrl === undefined || !rawUrl.startsWith('/')) return undefined;
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const search = q === -1 ? '' : rawUrl.slice(q + 1);
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(search);
  } catch {
    return undefined;
  }
  return { segments: path.split('/').filter((s) => s !== ''), query, trailingSlash: path.length > 1 && path.endsWith('/') };
}

/** Percent-decodes one path segment; `undefined` for malformed escapes. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Thrown by {@link readBody} when the body exceeds the limit. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large');
  }
}

/**
 * Reads the whole request body, up to `limit` bytes.
 * @throws BodyTooLargeError past the limit (the rest of the body is drained, not buffered);
 *   rejects with the stream error if the client aborts.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Discards whatever body the client sends, so keep-alive connections stay usable. */
export function drain(req: IncomingMessage): void {
  req.on('error', () => undefined);
  req.resume();
}

/**
 * Sends `body` as JSON (`application/json; charset=utf-8`) unless the response was already started.
 * `undefined` body sends no content (e.g. 204).
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status, { ...headers, 'Content-Length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Cache-Control': 'no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** First value of a request header, or `undefined`. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Parses JSON text; `undefined` when it is not valid JSON.
 * (`JSON.parse` of attacker input never does anything but return or throw `SyntaxError`.)
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Resolves after `ms` milliseconds (immediately for 0 or less). */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
