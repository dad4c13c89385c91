/**
 * `GET /v1/key/list/<pattern>` (spec §2.3 with §12): `{"names":[…sorted],"continue_at":"<next>"}`, `continue_at`
 * omitted on the last page; pages of at most 1024 names. `GET /v1/key/list` (no slash) lists everything.
 */
import { DEFAULT_LIST_PAGE_SIZE } from '@kes/core';
import { jsonReply, type Handler } from './handler.js';
import { listFailure } from './key-errors.js';
import { listPrefix } from './list-pattern.js';

/** Lists key names. Errors: 400 invalid pattern, 502 `failed to list keys`. */
export const listKeys: Handler = async (ctx) => {
  const prefix = listPrefix(ctx.match.resource);
  let page;
  try {
    page = await ctx.state.cache.list(prefix, DEFAULT_LIST_PAGE_SIZE, ctx.signal);
  } catch (err) {
    throw listFailure(err);
  }
  return jsonReply({ names: page.names, continue_at: page.continueAt === '' ? undefined : page.continueAt });
};
