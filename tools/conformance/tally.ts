/**
 * Counting the checks of one conformance area: each check returns `undefined` when it passes or a one-line problem;
 * a check that throws counts as failed with `threw <error>`.
 */
import { isKesError } from '../../packages/core/src/index.js';

/** Outcome of one area's checks. */
export interface CheckResult {
  readonly passed: number;
  readonly failed: number;
  /** One `<label>: <problem>` line per failed check. */
  readonly failures: readonly string[];
  /** Checks deliberately not run (e.g. vectors of legacy semantics). */
  readonly skipped: number;
}

/** `<what>: got …, want …` when `got` and `want` differ as JSON, else undefined. */
export function expectSame(what: string, got: unknown, want: unknown): string | undefined {
  const [g, w] = [JSON.stringify(got), JSON.stringify(want)];
  return g === w ? undefined : `${what}: got ${g}, want ${w}`;
}

/** A thrown value as a problem: `threw <code>: <message>` for catalog errors, `threw <String(err)>` otherwise. */
function thrown(err: unknown): string {
  return `threw ${isKesError(err) ? `${err.code}: ${err.message}` : String(err)}`;
}

/** The running tally of one area. */
export class Tally implements CheckResult {
  passed = 0;
  failed = 0;
  skipped = 0;
  readonly failures: string[] = [];

  /** Records one outcome: `problem` undefined = passed. */
  record(label: string, problem: string | undefined): void {
    if (problem === undefined) {
      this.passed++;
      return;
    }
    this.failed++;
    this.failures.push(`${label}: ${problem}`);
  }

  /** Runs and records a synchronous check. Never throws. */
  check(label: string, fn: () => string | undefined): void {
    let problem: string | undefined;
    try {
      problem = fn();
    } catch (err) {
      problem = thrown(err);
    }
    this.record(label, problem);
  }

  /** Runs and records an asynchronous check. Never rejects. */
  async checkAsync(label: string, fn: () => Promise<string | undefined>): Promise<void> {
    let problem: string | undefined;
    try {
      problem = await fn();
    } catch (err) {
      problem = thrown(err);
    }
    this.record(label, problem);
  }
}
