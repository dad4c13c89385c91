/**
 * `PUT|POST /v1/key/create/<name>` (spec §2.3): a fresh key of the server's default type with a fresh HMAC key,
 * created by the caller now; 200 without a body. No request body is read.
 */
import { encodeStoredKey, newStoredKey } from '@kes/core';
import { EMPTY_REPLY, type Handler } from './handler.js';
import { createFailure, requireKeyName } from './key-errors.js';

/** Creates the key. Errors: 400 invalid name, 400 `key does already exist`, 502 `failed to create key`. */
export const createKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  const key = newStoredKey({ type: ctx.state.defaultKeyType, createdBy: ctx.identity });
  try {
    await ctx.state.cache.create(name, encodeStoredKey(key), ctx.signal);
  } catch (err) {
    throw createFailure(err);
  }
  return EMPTY_REPLY;
};
