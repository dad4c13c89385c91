/**
 * Admin calls to kes-server processes in the Azure scenarios: each answer with its status, body and time, and the
 * base64 runs of a log checked for key material.
 */
import type { VaultHandle } from '@kes/azure-keyvault-emulator';
import { h1Client, type HttpClient } from '../support/http-client.js';
import { countKind, type KindCounts } from '../support/stats.js';
import type { Workspace } from '../support/fixture.js';
import type { KesProcess } from '../support/kes-process.js';

/** An answer (status 0 with `error` for a transport failure). */
export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
  readonly error?: string;
}

/** A node and its admin client. */
export interface Node {
  readonly name: string;
  readonly kes: KesProcess;
  call(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<Answer>;
  close(): void;
}

/** Wraps `kes` with an admin HTTP/1.1 client. */
export function nodeOf(name: string, ws: Workspace, kes: KesProcess): Node {
  const client: HttpClient = h1Client(ws.endpoint(kes), 16);
  return {
    name,
    kes,
    async call(method, path, body, timeoutMs = 30_000) {
      const t0 = performance.now();
      try {
        const r = await client.request(method, path, body === undefined ? undefined : JSON.stringify(body), timeoutMs);
        return { status: r.status, text: r.body.toString('utf8'), ms: Math.round(performance.now() - t0) };
      } catch (err) {
        return { status: 0, text: '', ms: Math.round(performance.now() - t0), error: (err as Error).message };
      }
    },
    close: () => client.close(),
  };
}

/** A data key as JSON (`plaintext`, `ciphertext`, base64). */
export interface Dek {
  readonly plaintext: string;
  readonly ciphertext: string;
}

/** Parses a generate answer. @throws Error when it is not a 200. */
export function dekOf(a: Answer): Dek {
  if (a.status !== 200) throw new Error(`generate failed: ${a.status} ${a.text}${a.error ?? ''}`);
  return JSON.parse(a.text) as Dek;
}

/**
 * Whether `log` contains `secret` (raw bytes) inside any base64 run — how key material would appear in a log line
 * (a stored key is base64 text; its key bytes sit inside it at any alignment, so every run is decoded).
 */
export function logLeaks(log: string, secret: Uint8Array): boolean {
  const needle = Buffer.from(secret);
  for (const m of log.matchAll(/[A-Za-z0-9+/]{24,}={0,2}/g)) {
    const run = m[0].replace(/=+$/, '');
    for (let shift = 0; shift < 4; shift++) {
      const part = run.slice(shift);
      const bytes = Buffer.from(part.slice(0, part.length - (part.length % 4)), 'base64');
      if (bytes.includes(needle)) return true;
    }
  }
  return false;
}

/** The `message` of a KES error answer (undefined for other bodies). */
export function messageOf(a: Answer): string | undefined {
  try {
    return (JSON.parse(a.text) as { message?: string }).message;
  } catch {
    return undefined;
  }
}

/** Answers by status (`error …` for transport failures). */
export function tally(answers: readonly Answer[]): KindCounts {
  const out: KindCounts = {};
  for (const x of answers) countKind(out, x.status === 0 ? `error ${x.error ?? ''}`.slice(0, 40) : String(x.status));
  return out;
}

/** Failed answers by kind (`http-502`, `transport`). */
export function errorsOf(answers: readonly Answer[]): KindCounts {
  const out: KindCounts = {};
  for (const x of answers) if (x.status !== 200) countKind(out, x.status === 0 ? 'transport' : `http-${x.status}`);
  return out;
}

/** Authenticated requests `vault` served per secret name since its log was cleared. */
export function callsPerSecret(vault: VaultHandle): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of vault.requests()) {
    const m = /^\/secrets\/([^/?]+)/.exec(r.url);
    if (r.authenticated && m) out[m[1]!] = (out[m[1]!] ?? 0) + 1;
  }
  return out;
}
