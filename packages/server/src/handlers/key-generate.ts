/**
 * `PUT|POST /v1/key/generate/<name>` (spec §2.3, §5.4): optional body `{"context":"<b64>","version":…}` — read only
 * when the request has a body (a positive length, chunked, or an HTTP/2 body), so an empty chunked body is a 400.
 * Answers `{"plaintext":"<b64 32 bytes>","ciphertext":"<b64>"}`.
 */
import { Errors, encodeBase64, generateDataKey, isKesError } from '@kes/core';
import { decodeRequestBody } from '../http/json.js';
import { base64Reply, type Handler } from './handler.js';
import { loadKey, requireKeyName } from './key-errors.js';

const SCHEMA = { context: 'bytes', version: 'string' } as const;

/**
 * Generates a data key. Errors: 400 invalid name, 400 `invalid request body`, 404/502 as describe,
 * 500 `failed to generate encryption key`.
 */
export const generateKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  const context = ctx.body.present ? decodeRequestBody(await ctx.body.read(), SCHEMA).context : undefined;
  const key = await loadKey(ctx, name);
  let dek;
  try {
    dek = generateDataKey(key, context);
  } catch (err) {
    throw isKesError(err) && err.status < 500 ? err : Errors.generateKeyFailed(err);
  }
  const reply = base64Reply({ plaintext: encodeBase64(dek.plaintext), ciphertext: encodeBase64(dek.ciphertext) });
  dek.plaintext.fill(0);
  return reply;
};
