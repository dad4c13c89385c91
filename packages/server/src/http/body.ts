/**
 * Request bodies under KES's limits (spec §1.2 step 4): the limit is the declared `Content-Length` when it is within
 * the route's MaxBody, else MaxBody; it is enforced while reading, so chunked HTTP/1.1 bodies and HTTP/2 bodies
 * without a length (what the Go SDK sends) are cut off as soon as they exceed it.
 */
import { Errors } from '@kes/core';
import { isHttp2, type HttpRequest } from './types.js';

/** Reads one request body at most once, within a byte limit. */
export class BodyReader {
  readonly #req: HttpRequest;
  readonly #maxBody: number;
  readonly #declared: number | undefined;
  #state: 'unread' | 'reading' | 'done' | 'failed' = 'unread';

  /**
   * @param req - the request whose body this reads.
   * @param maxBody - the route's MaxBody in bytes (0 for routes without a body).
   */
  constructor(req: HttpRequest, maxBody: number) {
    this.#req = req;
    this.#maxBody = maxBody;
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
   * Reads the whole body. Returns an empty array when there is none.
   * @throws KesError `INVALID_REQUEST_BODY` when the body exceeds the limit (detected while reading, or at once when
   *   the declared length is too large), when the client aborts, or when called twice; `signal.reason` when `signal`
   *   aborts first.
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
    this.#state = 'reading';
    return new Promise<Uint8Array>((resolve, reject) => {
      const req = this.#req;
      const chunks: Buffer[] = [];
      let total = 0;
      const cleanup = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onFail);
        req.off('aborted', onFail);
        req.off('close', onClose);
        signal?.removeEventListener('abort', onAbort);
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
      const onAbort = () => fail(signal!.reason);
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onFail);
      req.on('aborted', onFail);
      req.on('close', onClose);
      req.resume();
    });
  }
}
