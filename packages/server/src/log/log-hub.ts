/**
 * Fan-out of log lines to the clients of `/v1/log/audit` or `/v1/log/error` (spec §2.3, §9): every subscriber gets
 * every line published after it subscribed, written and flushed at once as one ndjson line. A subscriber that stops
 * reading is dropped once too many lines wait for it, so it can never make the server buffer without bound.
 */
import type { HttpResponse } from '../http/types.js';

/** Lines a subscriber may have pending (written but not drained) before it is disconnected. */
export const MAX_PENDING_LINES = 10_000;

interface Subscriber {
  res: HttpResponse;
  pending: number;
}

/** A set of streaming subscribers. */
export class LogHub {
  readonly #subscribers = new Set<Subscriber>();

  /** Number of current subscribers. */
  get size(): number {
    return this.#subscribers.size;
  }

  /**
   * Adds `res` (whose headers are already sent) until it closes or {@link closeAll} runs.
   * @returns a function that removes it again (idempotent).
   */
  subscribe(res: HttpResponse): () => void {
    const sub: Subscriber = { res, pending: 0 };
    this.#subscribers.add(sub);
    const onDrain = () => {
      sub.pending = 0;
    };
    const remove = () => {
      this.#subscribers.delete(sub);
      res.off('drain', onDrain);
      res.off('close', remove);
    };
    res.on('drain', onDrain);
    res.on('close', remove);
    return remove;
  }

  /**
   * Writes `line` plus `\n` to every subscriber. Never throws.
   * @returns how many subscribers it was written to.
   */
  publish(line: string): number {
    let written = 0;
    const data = `${line}\n`;
    for (const sub of this.#subscribers) {
      if (sub.res.writableEnded || sub.res.destroyed) {
        this.#subscribers.delete(sub);
        continue;
      }
      if (sub.pending >= MAX_PENDING_LINES) {
        this.#subscribers.delete(sub);
        sub.res.end();
        continue;
      }
      if (!sub.res.write(data)) sub.pending++;
      written++;
    }
    return written;
  }

  /** Ends every subscriber's response (server shutdown). Never throws. */
  closeAll(): void {
    for (const sub of this.#subscribers) {
      if (!sub.res.writableEnded) sub.res.end();
    }
    this.#subscribers.clear();
  }
}
