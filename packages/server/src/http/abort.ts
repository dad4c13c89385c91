/**
 * Why a request was abandoned before it was answered. The pipeline aborts a request's signal with one of these; no
 * HTTP answer is possible any more, and the audit log records {@link RequestAbort.status}.
 */

/** The abort reason of a request. */
export class RequestAbort extends Error {
  override readonly name = 'RequestAbort';

  /**
   * @param status - status recorded in the audit log and metrics: 503 for an expired route timeout (the status
   *   v0.22 answered timeouts with), 499 for a client that went away (nginx's convention; nothing is sent).
   */
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The reason used when a route timeout expires. */
export function timeoutAbort(timeoutMs: number): RequestAbort {
  return new RequestAbort(503, `request timeout of ${timeoutMs} ms exceeded`);
}

/** The reason used when the client closes the stream or connection first. */
export function clientGoneAbort(): RequestAbort {
  return new RequestAbort(499, 'client closed the request');
}

/** True when `err` is a request abort reason. */
export function isRequestAbort(err: unknown): err is RequestAbort {
  return err instanceof RequestAbort;
}
