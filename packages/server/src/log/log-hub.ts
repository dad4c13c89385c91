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

/**
 * Where a hub also sends its lines in a multi-process server: the subscribers of the other processes. Set by the
 * cluster worker; `wanted` is true while some other process has a subscriber.
 */
export interface RemoteSubscribers {
  readonly wanted: boolean;
  /** Sends one line (without `\n`) to the other processes' subscribers. Never throws. */
  send(line: string): void;
  /** Told whenever the number of this hub's own subscribers changes. */
  localCount(count: number): void;
}

/** A set of streaming subscribers. */
export class LogHub {
  readonly #subscribers = new Set<Subscriber>();
  /** The other processes' subscribers (cluster mode), if any. */
  remote: RemoteSubscribers | undefined;

  /** Number of current subscribers, counting the other processes' subscribers as one. */
  get size(): number {
    return this.#subscribers.size + (this.remote?.wanted === true ? 1 : 0);
  }

  /**
   * Adds `res` (whose headers are already sent) until it closes or {@link closeAll} runs.
   * @returns a function that removes it again (idempotent).
   */
  subscribe(res: HttpResponse): () => void {
    const sub: Subscriber = { res, pending: 0 };
    this.#subscribers.add(sub);
    this.remote?.localCount(this.#subscribers.size);
    const onDrain = () => {
      sub.pending = 0;
    };
    const remove = () => {
      if (this.#subscribers.delete(sub)) this.remote?.localCount(this.#subscribers.size);
      res.off('drain', onDrain);
      res.off('close', remove);
    };
    res.on('drain', onDrain);
    res.on('close', remove);
    return remove;
  }

  /**
   * Writes `line` plus `\n` to every subscriber, and hands it to the other processes' subscribers. Never throws.
   * @returns how many subscribers it was written to (the other processes' count as one).
   */
  publish(line: string): number {
    let written = this.publishLocal(line);
    if (this.remote?.wanted === true) {
      this.remote.send(line);
      written++;
    }
    return written;
  }

  /**
   * Writes `line` plus `\n` to this process's subscribers only (a line another process published). Never throws.
   * @returns how many subscribers it was written to.
   */
  publishLocal(line: string): number {
    if (this.#subscribers.size === 0) return 0;
    let written = 0;
    const data = `${line}\n`;
    for (const sub of this.#subscribers) {
      if (sub.res.writableEnded || sub.res.destroyed) {
        this.#drop(sub);
        continue;
      }
      if (sub.pending >= MAX_PENDING_LINES) {
        this.#drop(sub);
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
    this.remote?.localCount(0);
  }

  #drop(sub: Subscriber): void {
    if (this.#subscribers.delete(sub)) this.remote?.localCount(this.#subscribers.size);
  }
}
