/**
 * Runs the mutation fuzzer: `cases` mutated corpus requests, one connection each, `concurrency` at a time, every
 * answer judged against the statuses the spec allows (§1.2, §2.3, §2.5): no 5xx (no route can fail with one for
 * these inputs on a healthy keystore), no status outside the spec's set, no request left unanswered.
 */
import type { CertPair } from '../support/pki.js';
import { Prng } from '../support/prng.js';
import { rawRequest } from '../support/raw-http.js';
import { countKind, type KindCounts } from '../support/stats.js';
import { corpus, serialize, type CorpusMaterial } from './fuzz-corpus.js';
import { mutate } from './fuzz-mutate.js';

/**
 * Statuses a KES server may answer to any request (spec §1.2: 301 unclean path, 400 malformed/invalid, 403 policy,
 * 404 unknown route or key, 405 method, 406 import cipher, 200) plus what Go's `net/http` answers below KES: 431 for a
 * head beyond the limit and 417 for an `Expect` other than `100-continue`.
 */
export const SPEC_STATUSES = new Set([200, 301, 400, 403, 404, 405, 406, 417, 431]);

/** A case whose answer broke the rules. */
export interface Violation {
  readonly n: number;
  readonly mutations: readonly string[];
  readonly why: string;
  readonly request: string;
}

/** Figures of a fuzz run. */
export interface FuzzFigures {
  readonly cases: number;
  readonly byStatus: KindCounts;
  readonly byMutation: KindCounts;
  /** Every violation counted; `violations` keeps the first 50. */
  readonly violationCount: number;
  readonly violations: readonly Violation[];
  /** The slowest cases (answer time in ms and their mutations). */
  readonly slowest: ReadonlyArray<{ ms: number; mutations: string }>;
  readonly durationMs: number;
}

function judge(status: number, closed: boolean, hung: boolean, method: string, path: string): string | undefined {
  if (hung) return 'no answer within the deadline (hang)';
  if (status === 0) return closed ? 'connection closed without a response' : 'no response';
  if (status >= 500) return `server error ${status}`;
  if (!SPEC_STATUSES.has(status)) return `status ${status} is not one the spec allows`;
  if (status === 406 && !/^\/v1\/key\/import\//.test(path)) return `406 outside /v1/key/import (${method})`;
  return undefined;
}

/** Runs the fuzzer against `port` with `client`'s certificate (the admin: every route is reachable). */
export async function runFuzz(port: number, client: CertPair, material: CorpusMaterial, opts: { cases: number; concurrency: number; seed: number; deadlineMs: number }): Promise<FuzzFigures> {
  const rng = new Prng(opts.seed);
  const byStatus: KindCounts = {};
  const byMutation: KindCounts = {};
  const violations: Violation[] = [];
  let violationCount = 0;
  const slowest: Array<{ ms: number; mutations: string }> = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < opts.cases; n = next++) {
      const seeds = corpus(material);
      const r = seeds[n % seeds.length]!;
      const mutations = mutate(r, rng);
      for (const m of mutations) countKind(byMutation, m.split(':')[0]!);
      const bytes = serialize(r);
      const out = await rawRequest(port, client, bytes, { deadlineMs: opts.deadlineMs, head: r.method === 'HEAD' }).catch((err: Error) => ({
        status: -1, closed: true, hung: false, error: err.message,
      }));
      if (out.status === -1) {
        violationCount++;
        violations.push({ n, mutations, why: `could not connect: ${(out as { error?: string }).error}`, request: '' });
        continue;
      }
      slowest.push({ ms: Math.round((out as { ms?: number }).ms ?? 0), mutations: mutations.join(',') });
      slowest.sort((a, b) => b.ms - a.ms).splice(5);
      countKind(byStatus, out.status === 0 ? (out.hung ? 'hang' : 'closed') : String(out.status));
      const why = judge(out.status, out.closed, out.hung, r.method, r.path);
      if (why !== undefined) violationCount++;
      if (why !== undefined && violations.length < 50) {
        violations.push({ n, mutations, why, request: JSON.stringify(bytes.subarray(0, 300).toString('latin1')) });
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { cases: opts.cases, byStatus, byMutation, violationCount, violations, slowest, durationMs: Math.round(performance.now() - t0) };
}
