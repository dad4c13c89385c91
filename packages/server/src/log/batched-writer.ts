/**
 * Lines for a stream (stdout) written with few system calls under load: the lines of an event-loop turn are gathered
 * and written together when the turn ends (`setImmediate`, before the loop waits for I/O again), so every line reaches
 * the stream within the loop turn that produced it and under load one write carries the audit lines of many requests
 * (writing the first line of a turn at once cost a system call per request: measured ~6 µs of server CPU per request
 * with `npm run bench:server`). A write carries whole lines and at most
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

  /** Queues `text` (one or more complete lines) for the write at the end of this loop turn. Never throws. */
  write(text: string): void {
    this.#pending += text;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
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
