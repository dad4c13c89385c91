/**
 * Lines for a stream (stdout) written with few system calls under load: the first line of an event-loop turn is
 * written at once, the lines that follow in the same turn are gathered and written together when the turn ends
 * (`setImmediate`). A lone line goes out immediately; under load one write carries the audit lines of many requests,
 * and every line reaches the stream within the loop turn that produced it. A write carries whole lines and at most
 * {@link MAX_WRITE} bytes (unless one line is longer), so lines of several processes sharing a pipe never interleave
 * (POSIX makes pipe writes of up to `PIPE_BUF` = 4 KiB atomic).
 */

/** Largest batched write in characters (lines are ASCII JSON, so bytes): Linux's `PIPE_BUF`. */
export const MAX_WRITE = 4096;

/** A line buffer in front of a writable stream. */
export class BatchedWriter {
  readonly #out: NodeJS.WritableStream;
  #pending = '';
  #scheduled = false;

  constructor(out: NodeJS.WritableStream) {
    this.#out = out;
  }

  /** Writes `text` (one or more complete lines) now, or — when this turn already wrote — at the end of the turn. */
  write(text: string): void {
    if (this.#scheduled) {
      this.#pending += text;
      return;
    }
    this.#scheduled = true;
    setImmediate(() => this.flush());
    this.#write(text);
  }

  /** Writes what is queued now (also called on shutdown). Never throws. */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending === '') return;
    let text = this.#pending;
    this.#pending = '';
    while (text.length > MAX_WRITE) {
      const cut = text.lastIndexOf('\n', MAX_WRITE - 1);
      const end = cut >= 0 ? cut + 1 : text.indexOf('\n') + 1 || text.length;
      this.#write(text.slice(0, end));
      text = text.slice(end);
    }
    if (text !== '') this.#write(text);
  }

  #write(text: string): void {
    try {
      this.#out.write(text);
    } catch {
      // a closed stdout must not take the server down
    }
  }
}
