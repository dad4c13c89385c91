/**
 * `POST /v1/key/bulk/decrypt/<name>` (spec §2.4, implemented per §12 for v0.22-era MinIO): body
 * `[{"ciphertext":"<b64>","context":"<b64>"},…]` with at most 1000 items → `[{"plaintext":"<b64>"},…]` in order;
 * the first failure fails the whole call.
 */
import { Errors, encodeBase64 } from '@kes/core';
import { decodeRequestArray } from '../http/json.js';
import { decryptOne } from './decrypt-one.js';
import { jsonReply, type Handler } from './handler.js';
import { loadKey, requireKeyName } from './key-errors.js';

/** Most ciphertexts one bulk request may carry. */
export const MAX_BULK_CIPHERTEXTS = 1000;

const SCHEMA = { ciphertext: 'bytes', context: 'bytes' } as const;

/**
 * Decrypts every item. Errors: 400 invalid name, 400 `invalid request body`, 400 `too many ciphertexts`, 404/502 as
 * describe, then the first item's decryption error.
 */
export const bulkDecryptKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  const items = decodeRequestArray(await ctx.body.read(), SCHEMA);
  if (items.length > MAX_BULK_CIPHERTEXTS) throw Errors.tooManyCiphertexts();
  const key = await loadKey(ctx, name);
  const plaintexts = items.map((item) => decryptOne(key, item.ciphertext ?? new Uint8Array(0), item.context));
  const reply = jsonReply(plaintexts.map((p) => ({ plaintext: encodeBase64(p) })));
  for (const p of plaintexts) p.fill(0);
  return reply;
};
