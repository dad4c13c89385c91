/**
 * The handler contract: a handler gets the request context after routing, method check and authentication, and
 * either returns a {@link Reply} for the pipeline to write or throws a `KesError` that the pipeline turns into KES's
 * error response. Anything else thrown is a bug and answered with 500.
 */
import type { RequestContext } from '../context.js';

/** What a handler answers with. */
export type Reply =
  | { readonly kind: 'json'; readonly value: unknown }
  /** JSON text already as Go encodes it (without the trailing newline, which the writer adds). */
  | { readonly kind: 'json-text'; readonly text: string }
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

/**
 * A 200 JSON reply of an object whose members are standard-base64 strings (the generate and decrypt answers), written
 * without a serializer: base64 text needs no escaping in JSON, so this is exactly what {@link jsonReply} would send.
 * @param members - member name → base64 text, in answer order; names must be plain ASCII identifiers.
 */
export function base64Reply(members: Readonly<Record<string, string>>): Reply {
  let text = '{';
  for (const name in members) text += `${text.length > 1 ? ',' : ''}"${name}":"${members[name]}"`;
  return { kind: 'json-text', text: `${text}}` };
}

/** A 200 reply without a body. */
export const EMPTY_REPLY: Reply = Object.freeze({ kind: 'empty' });
