import { Readable } from 'node:stream';
import { createDefaultHttpClient, RestError, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';

/**
 * The largest answer body (after any decompression) the keystore accepts from Key Vault or from the identity
 * provider: 1 MiB. Real answers are far smaller: a secret bundle holds a value of at most 25 KB (Key Vault's limit;
 * a KES stored key is a few hundred bytes), a list page holds at most 25 items of metadata, an error or a token
 * answer a few KB. The cap only has to stop an answer that is not Key Vault's (a TLS-inspecting proxy gone wrong, a
 * hostile endpoint) from taking the server's memory; anything beyond it fails the call as a bad answer.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Every status: the wrapped client must hand every body over as a stream so that it can be counted. */
const STREAM_EVERY_STATUS = new Set([Number.POSITIVE_INFINITY]);

/**
 * Thrown for an answer whose body is (or announces to be) larger than the limit. Its message names the request
 * and the sizes, never the body (for a secret read, the body is key material). Classified as a bad answer: not
 * retried, and mapped to the operation's failure (`READ_KEY_FAILED`, …, 502) at the keystore boundary.
 */
export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';
  /** Stable code, shown in the error's cause chain. */
  readonly code = 'ANSWER_TOO_LARGE';

  constructor(
    /** The limit in bytes. */
    readonly limitBytes: number,
    /** `METHOD url` of the request, without the query. */
    readonly requestLine: string,
    /** The `Content-Length` the answer announced, if it announced one. */
    readonly announcedBytes: number | undefined,
  ) {
    const announced = announcedBytes === undefined ? '' : ` (it announced ${announcedBytes} bytes)`;
    super(`the answer to ${requestLine} is larger than ${limitBytes} bytes, the most an answer may hold${announced}`);
  }
}

/**
 * Wraps an SDK `HttpClient` (default: the SDK's own, `createDefaultHttpClient()`) so that no answer body larger
 * than `maxBytes` is ever buffered: the wrapped client streams every body; a `Content-Length` above the limit fails
 * at once, before any of the body is read, and a body without one (chunked, or delimited by the connection's end)
 * is counted while it streams and fails as soon as it passes the limit. Either way the connection is torn down (a
 * socket is not drained of an oversized answer) and {@link AnswerTooLargeError} is thrown. Bodies within the limit
 * are handed on as `bodyAsText` (UTF-8), like the SDK's client does, or as a stream when the caller asked for one.
 *
 * A body that fails to arrive completely (the connection closes early) throws a `RestError` with code
 * `PARSE_ERROR`, as the SDK's own client does; an abort throws the abort error.
 */
export function boundedHttpClient(inner: HttpClient = createDefaultHttpClient(), maxBytes: number = MAX_ANSWER_BYTES): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const asked = request.streamResponseStatusCodes;
      const callerSignal = request.abortSignal;
      // Our own signal, so that an oversized answer can tear its connection down (the client destroys the request).
      const teardown = new AbortController();
      const onCallerAbort = () => teardown.abort((callerSignal as { reason?: unknown } | undefined)?.reason);
      if (callerSignal?.aborted) onCallerAbort();
      else callerSignal?.addEventListener('abort', onCallerAbort);
      request.streamResponseStatusCodes = STREAM_EVERY_STATUS;
      request.abortSignal = teardown.signal;
      try {
        const response = await inner.sendRequest(request);
        const stream = response.readableStreamBody;
        if (stream === undefined) return response; // HEAD, or a client that buffered after all (tests)
        const requestLine = `${request.method} ${request.url.split('?')[0] ?? ''}`;
        const announced = contentLength(response.headers.get('content-length'));
        let body: Buffer | undefined;
        if (announced === undefined || announced <= maxBytes) body = await readAtMost(stream, maxBytes);
        if (body === undefined) {
          teardown.abort(new AnswerTooLargeError(maxBytes, requestLine, announced));
          destroy(stream);
          throw new AnswerTooLargeError(maxBytes, requestLine, announced);
        }
        const { readableStreamBody: _, ...rest } = response;
        const streamed = asked?.has(Number.POSITIVE_INFINITY) === true || asked?.has(response.status) === true;
        return streamed ? { ...rest, readableStreamBody: Readable.from([body]) } : { ...rest, bodyAsText: body.toString('utf8') };
      } finally {
        callerSignal?.removeEventListener('abort', onCallerAbort);
        request.streamResponseStatusCodes = asked;
        request.abortSignal = callerSignal;
      }
    },
  };
}

/** A `Content-Length` value as a number, or `undefined` when absent or not a plain decimal. */
function contentLength(value: string | undefined): number | undefined {
  const v = value?.trim();
  return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

/**
 * Reads `stream` to its end, keeping at most `maxBytes`.
 * @returns the body, or `undefined` as soon as it passes `maxBytes` (the stream is destroyed then).
 * @throws the abort error on abort; `RestError` `PARSE_ERROR` when the stream fails otherwise (cut off).
 */
async function readAtMost(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      total += bytes.length;
      if (total > maxBytes) return undefined; // leaving the loop destroys the stream
      chunks.push(bytes);
    }
  } catch (err) {
    if ((err as { name?: unknown } | undefined)?.name === 'AbortError') throw err;
    throw new RestError(`Error reading response as text: ${(err as Error | undefined)?.message ?? String(err)}`, { code: RestError.PARSE_ERROR });
  }
  return Buffer.concat(chunks, total);
}

function destroy(stream: NodeJS.ReadableStream): void {
  (stream as Partial<Readable>).destroy?.();
}
