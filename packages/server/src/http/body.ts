/**
 * Request bodies under KES's limits (spec §1.2 step 4): the limit is the declared `Content-Length` when it is within
 * the route's MaxBody, else MaxBody; it is enforced while reading, so chunked HTTP/1.1 bodies and HTTP/2 bodies
 * without a length (what the Go SDK sends) are cut off as soon as they exceed it.
 */
import { Errors } from '@kes/core';
import type { LazyAbort } from './lazy-abort.js';
import { isHttp2, type HttpRequest } from './types.js';

/** Reads one request body at most once, within a byte limit. */
export class BodyReader {
  readonly #req: HttpRequest;
  readonly #maxBody: number;
  readonly #declared: number | undefined;
  readonly #abort: LazyAbort | undefined;
  #state: 'unread' | 'reading' | 'done' | 'failed' = 'unread';

  /**
   * @param req - the request whose body this reads.
   * @param maxBody - the route's MaxBody in bytes (0 for routes without a body).
   * @param abort - the request's abort source: aborting it fails a read in progress with its reason.
   */
  constructor(req: HttpRequest, maxBody: number, abort?: LazyAbort) {
    this.#req = req;
    this.#maxBody = maxBody;
    this.#abort = abort;
    const header = req.headers['content-length'];
    this.#declared = typeof header === 'string' && /^[0-9]{1,15}$/.test(header) ? Number(header) : undefined;
  }

  /**
   * Whether the request carries a body in Go's sense (`ContentLength != 0`): a positive `Content-Length`, a chunked
   * HTTP/1.1 body, or an HTTP/2 request whose headers did not end the stream. Never throws.
   */
  get present(): boolean {
    if (this.#declared !== undefined) return this.#declared > 0;
    if (isHttp2(this.#req)) return !this.#req.stream.endAfterHeaders;
    return this.#req.headers['transfer-encoding'] !== undefined;
  }

  /** True when a body is present but was not read to its end (the connection should not be reused for HTTP/1.1). */
  get unconsumed(): boolean {
    return this.present && this.#state !== 'done';
  }

  /**
   * The whole body when every declared byte is already buffered (the usual case for small bodies: they arrive with
   * the head), read synchronously; otherwise `undefined` and the body is streamed.
   */
  #alreadyReceived(limit: number): Buffer | undefined {
    const req = this.#req;
    // every declared byte buffered is the whole body (the parser never gives a request more than its Content-Length),
    // even before the parser has flagged the request `complete`
    if (this.#declared === undefined || this.#declared !== limit || req.readableLength !== limit) return undefined;
    if (req.readableFlowing === true || this.#abort?.aborted) return undefined;
    const data: unknown = req.read();
    if (!Buffer.isBuffer(data) || data.length !== limit) {
      if (data !== null) req.unshift(data as Buffer);
      return undefined;
    }
    return data;
  }

  /**
   * Reads the whole body. Returns an empty array when there is none.
   * @throws KesError `INVALID_REQUEST_BODY` when the body exceeds the limit (detected while reading, or at once when
   *   the declared length is too large), when the client aborts, or when called twice; the abort reason when the
   *   request's abort source (or `signal`) aborts first.
   */
  read(signal?: AbortSignal): Promise<Uint8Array> {
    if (this.#state !== 'unread') return Promise.reject(Errors.invalidRequestBody());
    if (!this.present) {
      this.#state = 'done';
      return Promise.resolve(new Uint8Array(0));
    }
    const limit =
      this.#declared !== undefined && this.#declared <= this.#maxBody ? this.#declared : this.#maxBody;
    if (this.#declared !== undefined && this.#declared > this.#maxBody) {
      this.#state = 'failed';
      return Promise.reject(Errors.invalidRequestBody());
    }
    const buffered = this.#alreadyReceived(limit);
    if (buffered !== undefined) {
      this.#state = 'done';
      return Promise.resolve(buffered);
    }
    this.#state = 'reading';
    // Node hands the request over (the `request` event) before it pushes the body bytes that came in the same packet
    // as the head; one microtask later they are there and a declared-length body can be taken without listeners.
    if (this.#declared === limit) return Promise.resolve().then(() => this.#afterParse(limit, signal));
    return this.#stream(limit, signal);
  }

  /**
   * The body once the packet being parsed at {@link read} is done: taken at once if it is all there (returned as is,
   * not wrapped: the caller is a `then` callback), else streamed.
   */
  #afterParse(limit: number, signal: AbortSignal | undefined): Uint8Array | Promise<Uint8Array> {
    const buffered = this.#alreadyReceived(limit);
    if (buffered === undefined) return this.#stream(limit, signal);
    this.#state = 'done';
    return buffered;
  }

  /** Streams the body (`data`/`end`) within `limit`, failing on abort, close before the end, or `signal`. */
  #stream(limit: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      const req = this.#req;
      const chunks: Buffer[] = [];
      let total = 0;
      let unsubscribe: (() => void) | undefined;
      const cleanup = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onFail);
        req.off('aborted', onFail);
        req.off('close', onClose);
        signal?.removeEventListener('abort', onSignal);
        unsubscribe?.();
      };
      const fail = (err: unknown) => {
        cleanup();
        this.#state = 'failed';
        req.pause();
        reject(err);
      };
      const onData = (chunk: Buffer) => {
        total += chunk.length;
        if (total > limit) fail(Errors.invalidRequestBody());
        else chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        this.#state = 'done';
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
      };
      const onFail = () => fail(Errors.invalidRequestBody());
      const onClose = () => {
        if (!req.readableEnded) fail(Errors.invalidRequestBody());
      };
      const onSignal = () => fail(signal!.reason);
      if (signal?.aborted) {
        onSignal();
        return;
      }
      if (this.#abort?.aborted) {
        fail(this.#abort.reason);
        return;
      }
      signal?.addEventListener('abort', onSignal, { once: true });
      unsubscribe = this.#abort?.onAbort((reason) => fail(reason));
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onFail);
      req.on('aborted', onFail);
      req.on('close', onClose);
      req.resume();
    });
  }
}
