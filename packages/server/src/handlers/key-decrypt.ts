/**
 * `PUT|POST /v1/key/decrypt/<name>` (spec §2.3): body `{"ciphertext":"<b64>","context":"<b64>","version":…}` →
 * `{"plaintext":"<b64>"}` (`""` for an empty plaintext).
 */
import { encodeBase64 } from '@kes/core';
import { decodeRequestBody } from '../http/json.js';
import { decryptOne } from './decrypt-one.js';
import { base64Reply, type Handler } from './handler.js';
import { loadKey, requireKeyName } from './key-errors.js';

const SCHEMA = { ciphertext: 'bytes', context: 'bytes', version: 'string' } as const;

/**
 * Decrypts. Errors: 400 invalid name, 400 `invalid request body`, 404/502 as describe,
 * 400 `decryption failed: ciphertext is not authentic`, 500 `failed to decrypt ciphertext`.
 */
export const decryptKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  const fields = decodeRequestBody(await ctx.body.read(), SCHEMA);
  const key = await loadKey(ctx, name);
  const plaintext = decryptOne(key, fields.ciphertext ?? new Uint8Array(0), fields.context);
  const reply = base64Reply({ plaintext: encodeBase64(plaintext) });
  plaintext.fill(0);
  return reply;
};
