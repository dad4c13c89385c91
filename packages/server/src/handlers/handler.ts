/**
 * The handler contract: a handler gets the request context after routing, method check and authentication, and
 * either returns a {@link Reply} for the pipeline to write or throws a `KesError` that the pipeline turns into KES's
 * error response. Anything else thrown is a bug and answered with 500.
 */
import type { RequestContext } from '../context.js';

/** What a handler answers with. */
export type Reply =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'empty' }
  | { readonly kind: 'raw'; readonly contentType: string; readonly body: string | Buffer }
  /** The handler wrote status and headers itself and keeps the response open (log streams). */
  | { readonly kind: 'stream' };

/** Serves one request. */
export type Handler = (ctx: RequestContext) => Promise<Reply>;

/** A 200 JSON reply. */
export function jsonReply(value: unknown): Reply {
  return { kind: 'json', value };
}

/** A 200 reply without a body. */
export const EMPTY_REPLY: Reply = Object.freeze({ kind: 'empty' });
