/** `GET /version` and `GET /v1/api` (spec §2.3). */
import { jsonReply, type Handler } from './handler.js';

/** `{"version","commit"}` of this build; no authentication at all. */
export const version: Handler = async (ctx) =>
  jsonReply({ version: ctx.state.version.version, commit: ctx.state.version.commit });

/** `[{"method","path","max_body","timeout"}]` for every route, timeouts in whole seconds after `api:` overrides. */
export const listApis: Handler = async (ctx) => jsonReply(ctx.state.routes.describe());
