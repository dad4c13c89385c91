/**
 * Request bodies and answers in Vault's shapes: `{"errors": […]}` for failures, the response envelope
 * (`request_id`, `lease_id`, `data`, `warnings`, `auth`, …) for successes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Largest request body the emulator reads (Vault's default `max_request_size` is 32 MiB). */
export const MAX_BODY_BYTES = 32 << 20;

/** What a route answers. `body` undefined = no body (204, HEAD). */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
}

/** An error answer `{"errors": [...]}` (Vault sends `[]` for a plain 404). */
export function errors(status: number, ...messages: string[]): Answer {
  return { status, body: { errors: messages } };
}

/** 204 No Content. */
export const NO_CONTENT: Answer = { status: 204 };

/** 403 as Vault sends it for a missing, invalid or expired token and for ACL denials. */
export const PERMISSION_DENIED: Answer = errors(403, 'permission denied');

/** A success envelope as Vault wraps every answer with a body. */
export function envelope(parts: { data?: unknown; auth?: unknown; warnings?: string[] | null; leaseDuration?: number; mountType?: string }, status = 200): Answer {
  return {
    status,
    body: {
      request_id: randomUUID(),
      lease_id: '',
      renewable: false,
      lease_duration: parts.leaseDuration ?? 0,
      data: parts.data ?? null,
      wrap_info: null,
      warnings: parts.warnings && parts.warnings.length > 0 ? parts.warnings : null,
      auth: parts.auth ?? null,
      ...(parts.mountType ? { mount_type: parts.mountType } : {}),
    },
  };
}

/** Thrown by {@link readJsonBody} with the answer Vault would give. */
export class BodyError extends Error {
  constructor(readonly answer: Answer) {
    super('bad request body');
  }
}

/**
 * Reads and parses a JSON request body. An empty body reads as `undefined`.
 * @throws BodyError (413 above {@link MAX_BODY_BYTES}, 400 for invalid JSON).
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(errors(413, 'http: request body too large'));
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new BodyError(errors(400, `failed to parse JSON input: ${(err as Error).message}`));
  }
}

/** The body as a plain object (`{}` for none), or undefined when it is some other JSON value. */
export function objectBody(body: unknown): Record<string, unknown> | undefined {
  if (body === undefined || body === null) return {};
  if (typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  return undefined;
}

/** The 400 for a body that is not a JSON object. */
export const NOT_AN_OBJECT: Answer = errors(400, 'failed to parse JSON input: request body must be a JSON object');
