/**
 * Reloads one at a time, without pile-up: a request while a reload runs is merged with every other request that
 * arrives before that reload ends into ONE reload that starts afterwards (it must run: the file may have changed
 * after the running reload read it). 200 SIGHUPs in a burst therefore cause at most two reloads, not 200.
 */

/** What a reload re-reads: the whole config file (SIGHUP), or only the TLS files of the running config. */
export type ReloadKind = 'config' | 'tls';

/** Serializes and coalesces reloads; see the module description. */
export class ReloadQueue {
  readonly #run: (kind: ReloadKind) => Promise<boolean>;
  #tail: Promise<unknown> = Promise.resolve();
  #pending: { kind: ReloadKind; waiters: Array<(ok: boolean) => void> } | undefined;

  /** @param run - performs one reload (logging its outcome); a rejection counts as a failed reload. */
  constructor(run: (kind: ReloadKind) => Promise<boolean>) {
    this.#run = run;
  }

  /**
   * Asks for a reload of `kind`. A config reload covers a TLS one (it re-reads the TLS files too).
   * @returns whether the reload that served this request succeeded. Never rejects.
   */
  request(kind: ReloadKind): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.#pending !== undefined) {
        if (kind === 'config') this.#pending.kind = 'config';
        this.#pending.waiters.push(resolve);
        return;
      }
      this.#pending = { kind, waiters: [resolve] };
      this.#tail = this.#tail.then(async () => {
        const next = this.#pending!;
        this.#pending = undefined; // requests from now on wait for the reload after this one
        const ok = await this.#run(next.kind).catch(() => false);
        for (const waiter of next.waiters) waiter(ok);
      });
    });
  }

  /**
   * Runs `task` between reloads (never during one): e.g. starting a replacement worker, which must not miss a reload.
   * @returns the task's result (its rejection is passed on, and does not stop later reloads).
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every reload and task asked for so far has finished. Never rejects. */
  async idle(): Promise<void> {
    for (let tail = this.#tail; ; tail = this.#tail) {
      await tail.catch(() => undefined);
      if (tail === this.#tail) return;
    }
  }
}
