/** `DELETE /v1/key/delete/<name>` (spec §2.3): deletes in the keystore, evicts the cached key; 200 without a body. */
import { EMPTY_REPLY, type Handler } from './handler.js';
import { deleteFailure, requireKeyName } from './key-errors.js';

/** Deletes the key. Errors: 400 invalid name, 404 `key does not exist` (backend dependent), 502 `failed to delete key`. */
export const deleteKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  try {
    await ctx.state.cache.delete(name, ctx.signal);
  } catch (err) {
    throw deleteFailure(err);
  }
  return EMPTY_REPLY;
};
