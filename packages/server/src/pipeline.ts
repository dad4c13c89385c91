/**
 * The request pipeline (spec §1.2, §10.9), in KES's order — which decides which error a client sees:
 * route match (404 / unclean-path redirect / 400 for a bad escape) → method (405 with `Accept`; POST accepted where
 * PUT is registered) → body limit → route timeout → authentication and authorization (400/403) → handler (name
 * validation, body, keystore) → response. Every request that reaches this point is audited once (§12); key, policy
 * and identity routes are counted in the metrics after successful authentication.
 */
import { Errors, isKesError } from '@kes/core';
import { peerOf } from './auth/peer.js';
import type { ServerServices } from './context.js';
import { Exchange, type FailureAnswer } from './exchange.js';
import type { BodyReader } from './http/body.js';
import { describeError } from './log/describe-error.js';
import { closesAfterAnswer } from './http/lingering-close.js';
import { cleanPath, splitTarget } from './http/path.js';
import { sendBadRequestText, sendError, sendHeadersTooLarge, sendNotFound, sendRedirect } from './http/respond.js';
import { closeHeaders, isHttp2, stopReceiving, tearDown, tlsSocketOf, type HttpRequest, type HttpResponse } from './http/types.js';
import { headerListSize } from './limits/header-size.js';
import type { RouteMatch } from './routing/route-table.js';
import type { StateHolder } from './state-holder.js';

/** What the pipeline needs from the server. */
export interface PipelineDeps {
  readonly services: ServerServices;
  readonly states: StateHolder;
  /** The current request-head limit (`limits.maxHeaderBytes`); Node enforces it for HTTP/1.1, the pipeline for HTTP/2. */
  readonly maxHeaderBytes: () => number;
}

/** Builds the listener for the HTTP/2 server's `request` event (HTTP/1.1 requests arrive there too). */
export function createRequestListener(deps: PipelineDeps): (req: HttpRequest, res: HttpResponse) => void {
  const answerFailure: FailureAnswer = (req, res, body, err, identity, match) => fail(deps, req, res, body, err, identity, match);
  return (req, res) => {
    serve(deps, req, res, answerFailure).catch((err: unknown) => {
      deps.services.errorLog.error(`http: request failed: ${describeError(err)}`);
      tearDown(req);
    });
  };
}

async function serve(deps: PipelineDeps, req: HttpRequest, res: HttpResponse, answerFailure: FailureAnswer): Promise<void> {
  if (isHttp2(req) && headerListSize(req.rawHeaders) > deps.maxHeaderBytes()) {
    sendHeadersTooLarge(res);
    return stopReceiving(req, res);
  }
  // a request pipelined behind an answer that closes the connection is never served (the connection ends with it)
  if (!isHttp2(req) && closesAfterAnswer(req.socket)) return;
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
    await new Exchange(req, res, match, lease.state, deps.services).run(answerFailure);
  } finally {
    lease.release();
  }
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
