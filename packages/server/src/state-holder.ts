/**
 * The current {@link ServerState} and the states a reload replaced: each request holds the state it started with,
 * and a replaced state is retired (its cache and keystore closed, if they were replaced too) only once the last of
 * its requests finished — so a reload never fails a request half-way.
 */
import type { ServerState } from './context.js';

interface Generation {
  readonly state: ServerState;
  refs: number;
  retire: (() => Promise<void>) | undefined;
  retired: Promise<void> | undefined;
}

/** A lease on a state; `release()` is idempotent. */
export interface StateLease {
  readonly state: ServerState;
  release(): void;
}

/** Holds the current state and retires replaced ones. */
export class StateHolder {
  #current: Generation;
  readonly #retiring = new Set<Promise<void>>();

  constructor(initial: ServerState) {
    this.#current = { state: initial, refs: 0, retire: undefined, retired: undefined };
  }

  /** The current state (without a lease). */
  get state(): ServerState {
    return this.#current.state;
  }

  /** Leases the current state for one request. */
  acquire(): StateLease {
    const gen = this.#current;
    gen.refs++;
    let released = false;
    return {
      state: gen.state,
      release: () => {
        if (released) return;
        released = true;
        gen.refs--;
        this.#maybeRetire(gen);
      },
    };
  }

  /**
   * Makes `next` current. `retire` (e.g. closing a replaced cache) runs once the old state has no leases left;
   * its failure is ignored.
   */
  swap(next: ServerState, retire: () => Promise<void>): void {
    const old = this.#current;
    old.retire = retire;
    this.#current = { state: next, refs: 0, retire: undefined, retired: undefined };
    this.#maybeRetire(old);
  }

  /** Waits until every replaced state was retired. */
  async drained(): Promise<void> {
    await Promise.all([...this.#retiring]);
  }

  #maybeRetire(gen: Generation): void {
    if (gen === this.#current || gen.refs > 0 || gen.retire === undefined || gen.retired !== undefined) return;
    const done = gen.retire().catch(() => undefined);
    gen.retired = done;
    this.#retiring.add(done);
    void done.then(() => this.#retiring.delete(done));
  }
}
