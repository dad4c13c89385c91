/**
 * `PUT|POST /v1/key/encrypt/<name>` (spec §2.3): body `{"plaintext":"<b64>","context":"<b64>","version":…}` →
 * `{"ciphertext":"<b64>"}`.
 */
import { Errors, encodeBase64, encryptWithKey, isKesError } from '@kes/core';
import { decodeRequestBody } from '../http/json.js';
import { jsonReply, type Handler } from './handler.js';
import { loadKey, requireKeyName } from './key-errors.js';

const SCHEMA = { plaintext: 'bytes', context: 'bytes', version: 'string' } as const;

/** Encrypts. Errors: 400 invalid name, 400 `invalid request body`, 404/502 as describe, 500 `failed to encrypt plaintext`. */
export const encryptKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  const fields = decodeRequestBody(await ctx.body.read(), SCHEMA);
  const key = await loadKey(ctx, name);
  let ciphertext: Uint8Array;
  try {
    ciphertext = encryptWithKey(key, fields.plaintext ?? new Uint8Array(0), fields.context);
  } catch (err) {
    throw isKesError(err, 'ENCRYPT_FAILED') ? err : Errors.encryptFailed(err);
  } finally {
    fields.plaintext?.fill(0);
  }
  return jsonReply({ ciphertext: encodeBase64(ciphertext) });
};
