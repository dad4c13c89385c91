/**
 * One routed request from authentication to the written answer (spec §1.2 steps 5–7): the route timeout, identity and
 * authorization, the handler, the response, the metrics and exactly one audit event. The exchange is itself the
 * handler's {@link RequestContext}: one object per request with its methods on the prototype, because the per-request
 * closures and contexts of a function-based version were a measurable share of the server's garbage (and GC time).
 */
import { timestampNow, type Timestamp } from '@kes/core';
import { authorize } from './auth/authorize.js';
import { identifyCaller } from './auth/identify.js';
import { peerOf } from './auth/peer.js';
import type { RequestContext, ServerServices, ServerState } from './context.js';
import type { Reply } from './handlers/handler.js';
import { clientGoneAbort, isRequestAbort, timeoutAbort } from './http/abort.js';
import { BodyReader } from './http/body.js';
import { LazyAbort } from './http/lazy-abort.js';
import { sendEmpty, sendJson, sendJsonText, sendRaw } from './http/respond.js';
import { closeHeaders, stopReceiving, tearDown, tlsSocketOf, type HttpRequest, type HttpResponse } from './http/types.js';
import type { RouteMatch } from './routing/route-table.js';

/** Turns a handler failure into its answer and returns the status sent (the pipeline's `fail`). */
export type FailureAnswer = (req: HttpRequest, res: HttpResponse, body: BodyReader, err: unknown, identity: string, match: RouteMatch) => number;

const NO_HEADERS = Object.freeze({});

/** A request being served; see the module description. */
export class Exchange implements RequestContext {
  readonly req: HttpRequest;
  readonly res: HttpResponse;
  readonly match: RouteMatch;
  readonly state: ServerState;
  readonly services: ServerServices;
  readonly body: BodyReader;
  identity = '';
  ip: string | undefined;
  readonly #abort = new LazyAbort();
  readonly #time: Timestamp = timestampNow();
  readonly #started = performance.now();
  #metered = false;
  #finished = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onClose = (): void => {
    if (!this.res.writableEnded) this.#abort.abort(clientGoneAbort());
  };

  constructor(req: HttpRequest, res: HttpResponse, match: RouteMatch, state: ServerState, services: ServerServices) {
    this.req = req;
    this.res = res;
    this.match = match;
    this.state = state;
    this.services = services;
    this.body = new BodyReader(req, match.route.maxBody, this.#abort);
    this.ip = peerOf(tlsSocketOf(req)).ip;
  }

  /** Aborted when the route timeout expires or the client goes away; created on first access. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /**
   * Serves the request and writes exactly one audit event. Rejects only for a bug in writing the answer.
   * @param fail - answers a handler failure (error log, error response) and returns its status.
   */
  async run(fail: FailureAnswer): Promise<void> {
    const { route } = this.match;
    this.res.on('close', this.#onClose);
    if (route.timeoutMs > 0) this.#timer = setTimeout(Exchange.#timedOut, route.timeoutMs, this);
    let reply: Reply;
    try {
      const caller = identifyCaller(this.req, this.state, route.auth);
      this.identity = caller.identity;
      this.ip = caller.ip;
      if (route.auth === 'policy') authorize(this.state, this.identity, this.match.authPath, this.services.errorLog);
      if (route.metered) {
        this.#metered = true;
        this.services.metrics.requestStarted();
      }
      reply = await route.handler(this);
    } catch (err) {
      this.#finish(this.#abort.aborted ? abortStatus(this.#abort.reason) : fail(this.req, this.res, this.body, err, this.identity, this.match));
      return;
    }
    if (this.#abort.aborted) {
      this.#finish(abortStatus(this.#abort.reason));
      return;
    }
    const unconsumed = this.body.unconsumed;
    const extra = unconsumed ? closeHeaders(this.req) : NO_HEADERS;
    if (unconsumed) stopReceiving(this.req, this.res);
    switch (reply.kind) {
      case 'json':
        sendJson(this.res, reply.value, extra);
        break;
      case 'json-text':
        sendJsonText(this.res, reply.text, extra);
        break;
      case 'empty':
        sendEmpty(this.res, extra);
        break;
      case 'raw':
        sendRaw(this.res, reply.contentType, reply.body, extra);
        break;
      case 'stream':
        break;
    }
    this.#finish(200);
  }

  /** The route timeout: abort, tear the request down without an answer (spec §1.2 step 5), audit as 503. */
  static #timedOut(ex: Exchange): void {
    const reason = timeoutAbort(ex.match.route.timeoutMs);
    ex.#abort.abort(reason);
    tearDown(ex.req);
    ex.#finish(reason.status);
  }

  #finish(status: number): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    this.res.off('close', this.#onClose);
    const elapsedMs = performance.now() - this.#started;
    if (this.#metered) this.services.metrics.requestFinished(status, elapsedMs / 1000);
    this.services.audit.log({
      time: this.#time,
      ip: this.ip,
      method: this.req.method ?? '',
      path: this.match.path,
      identity: this.identity,
      status,
      durationNs: Math.round(elapsedMs * 1e6),
    });
  }
}

function abortStatus(reason: unknown): number {
  return isRequestAbort(reason) ? reason.status : 499;
}
