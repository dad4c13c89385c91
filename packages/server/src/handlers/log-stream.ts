/**
 * `GET /v1/log/audit` and `GET /v1/log/error` (spec §2.3 with §12): 200 `application/x-ndjson`, then one JSON object
 * per line, flushed per event, for as long as the client stays; any number of subscribers; no timeout (the
 * connection's idle timeout is switched off as well).
 */
import type { RequestContext, ServerServices } from '../context.js';
import { isHttp2 } from '../http/types.js';
import type { LogHub } from '../log/log-hub.js';
import type { Handler, Reply } from './handler.js';

function stream(ctx: RequestContext, hub: LogHub): Reply {
  const { req, res } = ctx;
  if (isHttp2(req)) req.stream.session?.setTimeout(0);
  else req.socket.setTimeout(0);
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const flush = (res as { flushHeaders?: () => void }).flushHeaders;
  if (typeof flush === 'function') flush.call(res);
  hub.subscribe(res);
  return { kind: 'stream' };
}

/** Builds the handler streaming the hub `select` picks. */
export function logStream(select: (services: ServerServices) => LogHub): Handler {
  return async (ctx) => stream(ctx, select(ctx.services));
}
