/**
 * Reloads of a multi-process server, coordinated by the primary so that they look exactly like one process's: one at
 * a time and coalesced ({@link ReloadQueue}); the primary checks the new config itself first (a config that does not
 * load never reaches a worker); then every worker PREPARES it (parses, builds keystore and TLS material — whatever
 * can fail) and acknowledges; only when every live worker prepared does the primary tell them to APPLY it, and only
 * when every one acknowledged that does it log the one `Configuration reloaded`. Any failure is one error line, and
 * the workers drop what they prepared: the old config stays in force everywhere. Workers log nothing about reloads.
 *
 * A worker that dies during a reload leaves it (its replacement starts with the config in force after the reload —
 * replacements start between reloads, see {@link ReloadCoordinator.exclusive}); one that does not answer within the
 * timeout fails the reload with a message naming it.
 */
import { ReloadQueue, type ReloadKind } from '../reload/reload-queue.js';
import type { ReloadPhase, ToPrimary, ToWorker } from './messages.js';

/** How long the primary waits for every worker's answer in each step of a reload. */
export const RELOAD_TIMEOUT_MS = 30_000;

/** A worker as a reload sees it. */
export interface ReloadPeer {
  /** Names the worker in messages (its process id). */
  readonly label: string;
  /** Sends `msg`; false when the worker cannot be reached any more. */
  send(msg: ToWorker): boolean;
  /** Ends the worker so that a replacement starts with the config in force (after it failed to apply a reload). */
  restart(): void;
}

/** The primary's own checks of a reload, before any worker is asked. */
export interface ReloadCheck {
  /** The config file's contents the workers must prepare (`kind` `'config'`). */
  readonly text?: string;
  /** Called once every worker applied the reload (or was restarted to get it): the new config is the one in force. */
  commit(): void;
}

/** Options of {@link ReloadCoordinator}. */
export interface ReloadCoordinatorOptions {
  /** The config file as the user named it (for `Reloading the configuration from '<file>'`). */
  readonly file: string;
  /** The workers that take part: those listening, at the moment a step starts. */
  peers(): Iterable<ReloadPeer>;
  /**
   * The primary's checks (reading and validating the file, the TLS material, creating `keys:`), passing the lines
   * one process logs on the way (warnings) to `note`.
   * @throws Error whose message is what one process logs after `Error: reload failed, …:`.
   */
  check(kind: ReloadKind, note: (line: string) => void): Promise<ReloadCheck>;
  /** Where the reload's lines go (each ends in a newline). */
  log(line: string): void;
  /** Per step; default {@link RELOAD_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** What one worker answered in one step. */
type Outcome = { ok: true; lines: readonly string[] } | { ok: false; error: string } | { gone: true };

interface Step {
  readonly id: number;
  readonly phase: ReloadPhase;
  readonly outcomes: Map<ReloadPeer, Outcome | undefined>;
  readonly done: () => void;
}

/** What failed in a step, one line per worker (one line in all when every worker gave the same message). */
function describeFailures(failures: ReadonlyArray<[ReloadPeer, string]>): string {
  const messages = new Set(failures.map(([, message]) => message));
  if (messages.size === 1 && !failures[0]![1].startsWith('did not answer')) return failures[0]![1];
  return failures.map(([peer, message]) => `worker ${peer.label}: ${message}`).join('\n');
}

/** The primary's side of reloads; see the module description. */
export class ReloadCoordinator {
  readonly #options: ReloadCoordinatorOptions;
  readonly #queue: ReloadQueue;
  readonly #timeoutMs: number;
  #step: Step | undefined;
  #nextId = 0;
  #closed = false;

  constructor(options: ReloadCoordinatorOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? RELOAD_TIMEOUT_MS;
    this.#queue = new ReloadQueue((kind) => this.#reload(kind));
  }

  /** Asks for a reload (SIGHUP: `'config'`; a TLS file changed: `'tls'`). @returns whether it was applied. Never rejects. */
  request(kind: ReloadKind): Promise<boolean> {
    return this.#queue.request(kind);
  }

  /** Runs `task` between reloads (starting a replacement worker, which must not miss one). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#queue.exclusive(task);
  }

  /** Takes a worker's `reload-ack`. Ignores answers to steps that are over. */
  answer(peer: ReloadPeer, ack: Extract<ToPrimary, { kes: 'reload-ack' }>): void {
    const step = this.#step;
    if (step === undefined || step.id !== ack.id || step.phase !== ack.phase || !step.outcomes.has(peer)) return;
    if (step.outcomes.get(peer) !== undefined) return;
    step.outcomes.set(peer, ack.error === undefined ? { ok: true, lines: ack.lines ?? [] } : { ok: false, error: ack.error });
    this.#settle(step);
  }

  /** `peer` exited: a step no longer waits for it. */
  gone(peer: ReloadPeer): void {
    const step = this.#step;
    if (step === undefined || !step.outcomes.has(peer) || step.outcomes.get(peer) !== undefined) return;
    step.outcomes.set(peer, { gone: true });
    this.#settle(step);
  }

  /** The server stops: a running reload ends without logging, later requests do nothing. Resolves when it ended. */
  async close(): Promise<void> {
    this.#closed = true;
    const step = this.#step;
    if (step !== undefined) {
      for (const [peer, outcome] of step.outcomes) if (outcome === undefined) step.outcomes.set(peer, { gone: true });
      step.done();
    }
    await this.#queue.idle();
  }

  async #reload(kind: ReloadKind): Promise<boolean> {
    if (this.#closed) return false;
    const { log } = this.#options;
    const printed = new Set<string>();
    const note = (line: string) => {
      if (printed.has(line)) return;
      printed.add(line);
      log(line);
    };
    const failed = (problems: string) => {
      if (this.#closed) return false;
      log(
        kind === 'config'
          ? `Error: reload failed, the running configuration stays in effect:\n${problems}\n`
          : `Error: re-reading the TLS files failed, the current certificate stays in use:\n${problems}\n`,
      );
      return false;
    };
    if (kind === 'config') log(`Reloading the configuration from '${this.#options.file}'\n`);
    let check: ReloadCheck;
    try {
      check = await this.#options.check(kind, note);
    } catch (err) {
      return failed((err as Error).message);
    }

    const id = this.#nextId++;
    const prepared = await this.#ask(id, 'prepare', { kes: 'reload', id, kind, ...(check.text === undefined ? {} : { text: check.text }) });
    const failures: Array<[ReloadPeer, string]> = [];
    for (const [peer, outcome] of prepared) {
      if ('gone' in outcome) continue;
      if (outcome.ok) outcome.lines.forEach(note);
      else failures.push([peer, outcome.error]);
    }
    if (this.#closed || failures.length > 0) {
      for (const peer of prepared.keys()) peer.send({ kes: 'reload-drop', id });
      return failures.length > 0 ? failed(describeFailures(failures)) : false;
    }

    const applied = await this.#ask(id, 'apply', { kes: 'reload-apply', id }, [...prepared].filter(([, o]) => 'ok' in o).map(([peer]) => peer));
    check.commit(); // in force on every worker now (a worker that failed to apply it is restarted with it below)
    const broken: Array<[ReloadPeer, string]> = [];
    for (const [peer, outcome] of applied) if ('ok' in outcome && !outcome.ok) broken.push([peer, outcome.error]);
    if (this.#closed) return false;
    if (broken.length > 0) {
      for (const [peer] of broken) peer.restart();
      const who = broken.length === 1 ? 'a worker could not apply the new configuration and is' : `${broken.length} workers could not apply the new configuration and are`;
      log(`Error: ${who} restarted with it:\n${broken.map(([peer, message]) => `worker ${peer.label}: ${message}`).join('\n')}\n`);
      return false;
    }
    if (kind === 'config') log('Configuration reloaded\n');
    return true;
  }

  /**
   * Sends `msg` to `peers` (default: every live worker) and waits until each answered, exited, or the timeout passed
   * (then it counts as failed: `did not answer within N s`).
   */
  #ask(id: number, phase: ReloadPhase, msg: ToWorker, peers: Iterable<ReloadPeer> = this.#options.peers()): Promise<Map<ReloadPeer, Outcome>> {
    return new Promise((resolve) => {
      const outcomes = new Map<ReloadPeer, Outcome | undefined>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const step: Step = {
        id,
        phase,
        outcomes,
        done: () => {
          clearTimeout(timer);
          if (this.#step === step) this.#step = undefined;
          resolve(outcomes as Map<ReloadPeer, Outcome>);
        },
      };
      for (const peer of peers) outcomes.set(peer, undefined);
      this.#step = step;
      for (const peer of outcomes.keys()) if (!peer.send(msg)) outcomes.set(peer, { gone: true });
      timer = setTimeout(() => {
        const seconds = Math.round(this.#timeoutMs / 100) / 10;
        for (const [peer, outcome] of outcomes) if (outcome === undefined) outcomes.set(peer, { ok: false, error: `did not answer within ${seconds} s` });
        step.done();
      }, this.#timeoutMs);
      timer.unref();
      this.#settle(step);
    });
  }

  #settle(step: Step): void {
    if (this.#step === step && [...step.outcomes.values()].every((o) => o !== undefined)) step.done();
  }
}
