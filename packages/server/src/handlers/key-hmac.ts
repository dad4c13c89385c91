/**
 * `PUT|POST /v1/key/hmac/<name>` (spec §2.3, §5.5): body `{"message":"<b64>"}` → `{"hmac":"<b64 32 bytes>"}`,
 * HMAC-SHA-256 with the key's own HMAC key. Legacy keys have none: 501 (§12).
 */
import { encodeBase64, hmacWithKey } from '@kes/core';
import { decodeRequestBody } from '../http/json.js';
import { jsonReply, type Handler } from './handler.js';
import { loadKey, requireKeyName } from './key-errors.js';

const SCHEMA = { message: 'bytes' } as const;

/** Computes the HMAC. Errors: 400 invalid name, 400 `invalid request body`, 404/502 as describe, 501 `key does not support HMAC`. */
export const hmacKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  const fields = decodeRequestBody(await ctx.body.read(), SCHEMA);
  const key = await loadKey(ctx, name);
  return jsonReply({ hmac: encodeBase64(hmacWithKey(key, fields.message ?? new Uint8Array(0))) });
};
