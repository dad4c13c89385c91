/**
 * The request pipeline (spec §1.2, §10.9), in KES's order — which decides which error a client sees:
 * route match (404 / unclean-path redirect / 400 for a bad escape) → method (405 with `Accept`; POST accepted where
 * PUT is registered) → body limit → route timeout → authentication and authorization (400/403) → handler (name
 * validation, body, keystore) → response. Every request that reaches this point is audited once (§12); key, policy
 * and identity routes are counted in the metrics after successful authentication.
 */
import { Errors, isKesError, timestampNow } from '@kes/core';
import { authorize } from './auth/authorize.js';
import { identifyCaller } from './auth/identify.js';
import { peerOf } from './auth/peer.js';
import type { RequestContext, ServerServices } from './context.js';
import type { Reply } from './handlers/handler.js';
import { clientGoneAbort, isRequestAbort, timeoutAbort } from './http/abort.js';
import { BodyReader } from './http/body.js';
import { cleanPath, splitTarget } from './http/path.js';
import {
  sendBadRequestText,
  sendEmpty,
  sendError,
  sendJson,
  sendNotFound,
  sendRaw,
  sendRedirect,
} from './http/respond.js';
import { closeHeaders, stopReceiving, tearDown, tlsSocketOf, type HttpRequest, type HttpResponse } from './http/types.js';
import type { RouteMatch } from './routing/route-table.js';
import type { StateHolder } from './state-holder.js';

/** What the pipeline needs from the server. */
export interface PipelineDeps {
  readonly services: ServerServices;
  readonly states: StateHolder;
  /** Marks a request in flight on its connection (for graceful close); returns the "done" callback. */
  readonly requestStarted: (req: HttpRequest) => () => void;
}

/** Builds the listener for the HTTP/2 server's `request` event (HTTP/1.1 requests arrive there too). */
export function createRequestListener(deps: PipelineDeps): (req: HttpRequest, res: HttpResponse) => void {
  return (req, res) => {
    serve(deps, req, res).catch((err: unknown) => {
      deps.services.errorLog.error(`http: request failed: ${describeError(err)}`);
      tearDown(req);
    });
  };
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

async function serve(deps: PipelineDeps, req: HttpRequest, res: HttpResponse): Promise<void> {
  const method = req.method ?? '';
  const target = splitTarget(req.url ?? '');
  if (target === undefined) return sendNotFound(res);
  const clean = cleanPath(target.escapedPath);
  if (clean !== target.escapedPath) {
    return sendRedirect(res, method, target.rawQuery === '' ? clean : `${clean}?${target.rawQuery}`);
  }
  const lease = deps.states.acquire();
  try {
    const match = lease.state.routes.match(clean);
    if (match === 'bad-request') return sendBadRequestText(res);
    if (match === 'not-found') return sendNotFound(res);
    const expected = match.route.method;
    if (method !== expected && !(method === 'POST' && expected === 'PUT')) {
      return sendError(res, 405, Errors.methodNotAllowed(method, expected).message, { accept: expected });
    }
    await handle(deps, req, res, match, lease.state);
  } finally {
    lease.release();
  }
}

async function handle(
  deps: PipelineDeps,
  req: HttpRequest,
  res: HttpResponse,
  match: RouteMatch,
  state: RequestContext['state'],
): Promise<void> {
  const { services } = deps;
  const { route } = match;
  const time = timestampNow();
  const started = process.hrtime.bigint();
  const body = new BodyReader(req, route.maxBody);
  const controller = new AbortController();
  const done = deps.requestStarted(req);
  let identity = '';
  let ip = peerOf(tlsSocketOf(req)).ip;
  let metered = false;
  let finished = false;

  const finish = (status: number) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    res.off('close', onClose);
    done();
    const elapsed = process.hrtime.bigint() - started;
    if (metered) services.metrics.requestFinished(status, Number(elapsed) / 1e9);
    services.audit.log({ time, ip, path: match.path, identity, status, durationNs: elapsed });
  };
  const onClose = () => {
    if (!res.writableEnded) controller.abort(clientGoneAbort());
  };
  res.on('close', onClose);
  const timer =
    route.timeoutMs > 0
      ? setTimeout(() => {
          controller.abort(timeoutAbort(route.timeoutMs));
          tearDown(req);
          finish(timeoutAbort(route.timeoutMs).status);
        }, route.timeoutMs)
      : undefined;

  let reply: Reply;
  try {
    const caller = identifyCaller(req, state, route.auth);
    identity = caller.identity;
    ip = caller.ip;
    if (route.auth === 'policy') authorize(state, identity, match.authPath, services.errorLog);
    if (route.metered) {
      metered = true;
      services.metrics.requestStarted();
    }
    const ctx: RequestContext = { req, res, match, identity, ip, signal: controller.signal, body, state, services };
    reply = await route.handler(ctx);
  } catch (err) {
    finish(controller.signal.aborted ? abortStatus(controller.signal.reason) : fail(deps, req, res, body, err, identity, match));
    return;
  }
  if (controller.signal.aborted) {
    finish(abortStatus(controller.signal.reason));
    return;
  }
  const extra = body.unconsumed ? closeHeaders(req) : {};
  if (body.unconsumed) stopReceiving(req, res);
  switch (reply.kind) {
    case 'json':
      sendJson(res, reply.value, extra);
      break;
    case 'empty':
      sendEmpty(res, extra);
      break;
    case 'raw':
      sendRaw(res, reply.contentType, reply.body, extra);
      break;
    case 'stream':
      break;
  }
  finish(200);
}

function abortStatus(reason: unknown): number {
  return isRequestAbort(reason) ? reason.status : 499;
}

/**
 * Whether an error is a server-side failure worth an ERROR record: a bug (not a `KesError`) or a 5xx such as a
 * keystore failure — but not 501 (a key that cannot HMAC is not a failure) and not the readiness answers, which the
 * readiness handler logs at WARN itself.
 */
function isServerFailure(err: unknown): boolean {
  if (!isKesError(err)) return true;
  if (err.status < 500 || err.status === 501) return false;
  return !isKesError(err, 'KEYSTORE_NOT_REACHABLE') && !isKesError(err, 'KEYSTORE_UNAVAILABLE');
}

/** Answers a failed request; returns the status sent. */
function fail(
  deps: PipelineDeps,
  req: HttpRequest,
  res: HttpResponse,
  body: BodyReader,
  err: unknown,
  identity: string,
  match: RouteMatch,
): number {
  const status = isKesError(err) ? err.status : 500;
  const message = isKesError(err) ? err.message : 'internal server error';
  if (isServerFailure(err)) {
    deps.services.errorLog.error(describeError(err), [
      ['req.method', req.method],
      ['req.path', match.path],
      ['req.ip', peerOf(tlsSocketOf(req)).ip],
      ['req.identity', identity],
    ]);
  }
  const extra = body.unconsumed ? closeHeaders(req) : {};
  if (body.unconsumed) stopReceiving(req, res);
  sendError(res, status, message, extra);
  return status;
}
