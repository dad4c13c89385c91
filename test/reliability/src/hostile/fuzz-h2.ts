/**
 * The mutation fuzzer over HTTP/2 (what the Go SDK and MinIO speak): the same corpus and mutations, sent as streams
 * of one session. Header mutations that HTTP/2 cannot carry (connection-specific fields, invalid names — the client
 * library refuses them) are dropped; a framing-level refusal by the server (RST_STREAM, e.g. PROTOCOL_ERROR for a
 * control character in `:path`, RFC 9113 §8.3.1) is counted per code, a 5xx or a stream left unanswered is a
 * violation. Node ends a session after 1,000 invalid frames (`maxSessionInvalidFrames`) with GOAWAY(INTERNAL_ERROR):
 * the fuzzer then opens a new session, and the streams in flight on the old one count as `rst-2`.
 */
import { connect, constants } from 'node:http2';
import type { CertPair } from '../support/pki.js';
import { Prng } from '../support/prng.js';
import { countKind, type KindCounts } from '../support/stats.js';
import { corpus, type CorpusMaterial, type FuzzRequest } from './fuzz-corpus.js';
import { SPEC_STATUSES, type FuzzFigures, type Violation } from './fuzz-run.js';
import { mutate } from './fuzz-mutate.js';

const CONNECTION_SPECIFIC = new Set(['connection', 'upgrade', 'transfer-encoding', 'keep-alive', 'proxy-connection', 'host', 'http2-settings', 'te']);

function h2Headers(r: FuzzRequest): Record<string, string> {
  const headers: Record<string, string> = { ':method': r.method, ':path': r.path };
  for (const [k, v] of r.headers) {
    const name = k.toLowerCase();
    if (CONNECTION_SPECIFIC.has(name) || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || /[\0\r\n]/.test(v)) continue;
    headers[name] = headers[name] === undefined ? v : `${headers[name]}, ${v}`;
  }
  return headers;
}

type Outcome = { status: number } | { reset: number } | { clientError: string } | { hang: true };

/** Runs `cases` mutated requests as HTTP/2 streams on one session to `url`, `concurrency` at a time. */
export async function runFuzzH2(url: string, ca: string, client: CertPair, material: CorpusMaterial, opts: { cases: number; concurrency: number; seed: number; deadlineMs: number }): Promise<FuzzFigures> {
  const rng = new Prng(opts.seed);
  let session = connect(url, { ca, cert: client.certPem, key: client.keyPem });
  session.on('error', () => undefined);
  const byStatus: KindCounts = {};
  const byMutation: KindCounts = {};
  const violations: Violation[] = [];
  let violationCount = 0;
  const slowest: Array<{ ms: number; mutations: string }> = [];
  const t0 = performance.now();
  let next = 0;
  const send = (r: FuzzRequest): Promise<Outcome> =>
    new Promise((resolve) => {
      if (session.closed || session.destroyed) {
        session = connect(url, { ca, cert: client.certPem, key: client.keyPem });
        session.on('error', () => undefined);
      }
      let stream;
      try {
        stream = session.request(h2Headers(r), { endStream: r.body.length === 0 });
      } catch (err) {
        return resolve({ clientError: (err as { code?: string }).code ?? 'error' });
      }
      const timer = setTimeout(() => (stream.close(constants.NGHTTP2_CANCEL), resolve({ hang: true })), opts.deadlineMs);
      stream.on('response', (h) => {
        clearTimeout(timer);
        resolve({ status: Number(h[':status']) });
        stream.close();
      });
      stream.on('error', () => undefined);
      stream.on('close', () => {
        clearTimeout(timer);
        resolve({ reset: stream.rstCode ?? -1 });
      });
      if (r.body.length > 0) stream.end(r.body);
    });
  const worker = async () => {
    for (let n = next++; n < opts.cases; n = next++) {
      const seeds = corpus(material);
      const r = seeds[n % seeds.length]!;
      const mutations = mutate(r, rng).filter((m) => !m.startsWith('chunked'));
      for (const m of mutations) countKind(byMutation, m.split(':')[0]!);
      const started = performance.now();
      const out = await send(r);
      slowest.push({ ms: Math.round(performance.now() - started), mutations: mutations.join(',') });
      slowest.sort((a, b) => b.ms - a.ms).splice(5);
      let why: string | undefined;
      if ('status' in out) {
        countKind(byStatus, String(out.status));
        if (out.status >= 500) why = `server error ${out.status}`;
        else if (!SPEC_STATUSES.has(out.status)) why = `status ${out.status} is not one the spec allows`;
        else if (out.status === 406 && !/^\/v1\/key\/import\//.test(r.path)) why = '406 outside /v1/key/import';
      } else if ('reset' in out) {
        countKind(byStatus, `rst-${out.reset}`);
      }
      else if ('clientError' in out) countKind(byStatus, `not-sent:${out.clientError}`);
      else {
        countKind(byStatus, 'hang');
        why = 'no answer within the deadline (hang)';
      }
      if (why !== undefined) violationCount++;
      if (why !== undefined && violations.length < 50) violations.push({ n, mutations, why, request: JSON.stringify({ ...h2Headers(r), body: r.body.subarray(0, 200).toString('latin1') }) });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  session.destroy();
  return { cases: opts.cases, byStatus, byMutation, violationCount, violations, slowest, durationMs: Math.round(performance.now() - t0) };
}
