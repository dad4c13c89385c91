/**
 * HTTP/1.1 request smuggling attempts (RFC 9112 §6.1, §6.3): conflicting or malformed `Content-Length`,
 * `Transfer-Encoding` together with `Content-Length`, obfuscated transfer codings and chunk sizes — each carrying a
 * second, smuggled request (`DELETE` of a victim key). Every attempt must be answered 400 with the connection closed,
 * and the smuggled request must never run (the victim key survives; checked by the scenario).
 */
import type { CertPair } from '../support/pki.js';
import { rawRequest } from '../support/raw-http.js';
import { countKind, type KindCounts } from '../support/stats.js';

/** One attempt: its name and bytes. */
export interface SmugglingCase {
  readonly name: string;
  readonly bytes: string;
}

const CRLF = '\r\n';

/** The attempts against `/v1/key/encrypt/<key>`, each smuggling `DELETE /v1/key/delete/<victim>`. */
export function smugglingCases(key: string, victim: string): SmugglingCase[] {
  const smuggled = `DELETE /v1/key/delete/${victim} HTTP/1.1${CRLF}Host: x${CRLF}Content-Length: 0${CRLF}${CRLF}`;
  const body = '{"plaintext":"YQ=="}';
  const head = (...lines: string[]) => `POST /v1/key/encrypt/${key} HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${lines.map((l) => l + CRLF).join('')}${CRLF}`;
  const chunkedBody = `${body.length.toString(16)}${CRLF}${body}${CRLF}0${CRLF}${CRLF}`;
  return [
    { name: 'CL.CL differing', bytes: head(`Content-Length: ${body.length}`, `Content-Length: ${body.length + smuggled.length}`) + body + smuggled },
    { name: 'CL.CL equal', bytes: head(`Content-Length: ${body.length}`, `Content-Length: ${body.length}`) + body + smuggled },
    { name: 'CL list', bytes: head(`Content-Length: ${body.length}, ${body.length + smuggled.length}`) + body + smuggled },
    { name: 'CL signed', bytes: head(`Content-Length: +${body.length}`) + body + smuggled },
    { name: 'CL hex', bytes: head(`Content-Length: 0x${body.length.toString(16)}`) + body + smuggled },
    { name: 'CL negative', bytes: head('Content-Length: -1') + body + smuggled },
    { name: 'CL overflow', bytes: head('Content-Length: 99999999999999999999999') + body + smuggled },
    { name: 'TE.CL', bytes: head('Transfer-Encoding: chunked', `Content-Length: ${chunkedBody.length}`) + chunkedBody + smuggled },
    { name: 'CL.TE', bytes: head(`Content-Length: ${chunkedBody.length + smuggled.length}`, 'Transfer-Encoding: chunked') + chunkedBody + smuggled },
    { name: 'TE.CL short', bytes: head('Transfer-Encoding: chunked', 'Content-Length: 4') + chunkedBody + smuggled },
    { name: 'TE xchunked + CL', bytes: head('Transfer-Encoding: xchunked', `Content-Length: ${body.length}`) + body + smuggled },
    { name: 'TE unknown coding', bytes: head('Transfer-Encoding: gzip') + body + smuggled },
    { name: 'TE chunked,identity', bytes: head('Transfer-Encoding: chunked, identity') + chunkedBody + smuggled },
    { name: 'TE space before colon', bytes: head('Transfer-Encoding : chunked', `Content-Length: ${body.length}`) + body + smuggled },
    { name: 'TE obs-fold', bytes: head(`Content-Length: ${body.length}`, 'X-Pad: a', ' Transfer-Encoding: chunked') + body + smuggled },
    { name: 'TE twice', bytes: head('Transfer-Encoding: chunked', 'Transfer-Encoding: identity', `Content-Length: ${body.length}`) + body + smuggled },
    { name: 'TE vertical tab', bytes: head('Transfer-Encoding:\x0bchunked', `Content-Length: ${body.length}`) + body + smuggled },
    { name: 'chunk size overflow', bytes: head('Transfer-Encoding: chunked') + `FFFFFFFFFFFFFFFFFFFF${CRLF}${body}${CRLF}0${CRLF}${CRLF}` + smuggled },
    { name: 'chunk size signed', bytes: head('Transfer-Encoding: chunked') + `+${body.length.toString(16)}${CRLF}${body}${CRLF}0${CRLF}${CRLF}` + smuggled },
    { name: 'chunk LF only', bytes: head('Transfer-Encoding: chunked') + `${body.length.toString(16)}\n${body}\n0\n\n` + smuggled },
    { name: 'CR in header value', bytes: head(`Content-Length: ${body.length}`, 'X-Evil: a\rContent-Length: 0') + body + smuggled },
    { name: 'NUL in header value', bytes: head(`Content-Length: ${body.length}`, 'X-Evil: a\x00b') + body + smuggled },
  ];
}

/** Figures of the smuggling attack. */
export interface SmugglingFigures {
  readonly attempts: number;
  readonly outcomes: KindCounts;
  /** Attempts not answered with exactly one 400 and a closed connection. */
  readonly failures: ReadonlyArray<{ name: string; statuses: readonly number[]; closed: boolean; hung: boolean }>;
}

/** Sends every case `rounds` times on fresh connections. */
export async function runSmuggling(port: number, client: CertPair, cases: readonly SmugglingCase[], rounds: number): Promise<SmugglingFigures> {
  const outcomes: KindCounts = {};
  const failures: Array<{ name: string; statuses: readonly number[]; closed: boolean; hung: boolean }> = [];
  let attempts = 0;
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      cases.map(async (c) => {
        attempts++;
        const out = await rawRequest(port, client, Buffer.from(c.bytes, 'latin1'), { deadlineMs: 5_000, lingerMs: 300 });
        const verdict = out.statuses.length === 1 && out.status === 400 && out.closed ? '400+close' : `${out.statuses.join('+') || 'none'}${out.closed ? '+close' : ''}${out.hung ? '+hang' : ''}`;
        countKind(outcomes, verdict);
        if (verdict !== '400+close' && !failures.some((f) => f.name === c.name)) failures.push({ name: c.name, statuses: out.statuses, closed: out.closed, hung: out.hung });
      }),
    );
  }
  return { attempts, outcomes, failures };
}
