/**
 * Oversized input: request heads beyond `limits.max_header_bytes` (one huge field, or thousands of small ones; over
 * HTTP/1.1 and HTTP/2) and bodies beyond the 1,000,000-byte MaxBody (declared, or streamed chunked / as HTTP/2 DATA
 * without a length, 50 MB each). Heads must get 431, bodies 400; the server must stop reading (close the connection
 * or reset the stream) instead of buffering what it will not use.
 */
import { connect } from 'node:http2';
import type { CertPair } from '../support/pki.js';
import { openTls, rawRequest } from '../support/raw-http.js';
import { countKind, type KindCounts } from '../support/stats.js';

/** Figures of the oversize attack. */
export interface OversizeFigures {
  readonly requests: number;
  /** `<case> → <outcome>` counts, e.g. `h1 huge header → 431+close`. */
  readonly outcomes: KindCounts;
  /** Most body bytes a streaming client got to write before the server stopped it. */
  readonly maxBytesAccepted: number;
}

/** Streams up to `total` bytes of chunked body (HTTP/1.1) and reports the status and how much was written. */
async function streamH1(port: number, client: CertPair, path: string, total: number): Promise<{ status: number; written: number }> {
  const socket = await openTls(port, client);
  let data = '';
  let written = 0;
  socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(() => (socket.destroy(), resolve()), 30_000);
    socket.once('close', () => (clearTimeout(deadline), resolve()));
    const pump = () => {
      while (written < total && !socket.destroyed) {
        written += chunk.length;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
      if (!socket.destroyed) socket.end('0\r\n\r\n');
    };
    pump();
  });
  const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
  return { status: m ? Number(m[1]) : 0, written };
}

/**
 * Streams up to `total` bytes as HTTP/2 DATA without a content-length. After the answer the server must reset the
 * stream (RFC 9113 §8.1, RST_STREAM NO_ERROR): `reset` tells whether it did within 3 s (Node's client then marks the
 * stream closed even while its own writes are stuck).
 */
async function streamH2(url: string, ca: string, client: CertPair, path: string, total: number): Promise<{ status: number; written: number; reset: boolean }> {
  const session = connect(url, { ca, cert: client.certPem, key: client.keyPem });
  session.on('error', () => undefined);
  const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json' }, { endStream: false });
  let status = 0;
  let written = 0;
  let answered = 0;
  stream.on('response', (h) => (status = Number(h[':status'])));
  stream.on('data', () => undefined);
  stream.on('end', () => (answered = performance.now()));
  stream.on('error', () => undefined);
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (stream.closed || stream.destroyed || (answered > 0 && performance.now() - answered > 3_000) || performance.now() - t0 > 30_000) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
    const pump = () => {
      while (written < total && !stream.destroyed && !stream.closed) {
        written += chunk.length;
        if (!stream.write(chunk)) return void stream.once('drain', pump);
      }
      if (!stream.destroyed && !stream.closed) stream.end();
    };
    pump();
  });
  const reset = stream.closed && stream.rstCode === 0;
  session.destroy();
  return { status, written, reset };
}

/** One request with a 40 KiB header over a new HTTP/2 session: the status, or `rst<code>` without an answer. */
async function h2BigHeader(url: string, ca: string, client: CertPair): Promise<string> {
  const session = connect(url, { ca, cert: client.certPem, key: client.keyPem });
  session.on('error', () => undefined);
  const status = await new Promise<string>((resolve) => {
    const s = session.request({ ':path': '/v1/status', 'x-huge': 'a'.repeat(40 * 1024) });
    let st = 0;
    s.on('response', (h) => (st = Number(h[':status'])));
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.on('close', () => resolve(st ? String(st) : `rst${s.rstCode}`));
  });
  session.destroy();
  return status;
}

/** One round of every oversize case (`parallel` copies of each at once). */
export async function oversizeRound(port: number, url: string, ca: string, client: CertPair, key: string, parallel: number): Promise<OversizeFigures> {
  const outcomes: KindCounts = {};
  let requests = 0;
  let maxBytesAccepted = 0;
  const raw = async (name: string, bytes: string) => {
    requests++;
    const out = await rawRequest(port, client, bytes, { deadlineMs: 10_000, lingerMs: 300 });
    countKind(outcomes, `${name} → ${out.status === 0 && out.closed ? 'reset before the answer' : `${out.status || 'none'}${out.closed ? '+close' : ''}`}`);
  };
  const hugeField = `GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ${'a'.repeat(64 * 1024)}\r\n\r\n`;
  const manyFields = `GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 5000 }, (_, i) => `X-F${i}: vvvvvvvv\r\n`).join('')}\r\n`;
  const declared = `POST /v1/key/encrypt/${key} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n${'A'.repeat(2_000_000)}`;
  const jobs: Array<Promise<void>> = [];
  for (let i = 0; i < parallel; i++) {
    jobs.push(raw('h1 huge header', hugeField), raw('h1 5000 headers', manyFields), raw('h1 declared 2 MB body', declared));
    jobs.push(
      (async () => {
        requests++;
        const r = await streamH1(port, client, `/v1/key/decrypt/${key}`, 50 * 1024 * 1024);
        maxBytesAccepted = Math.max(maxBytesAccepted, r.written);
        countKind(outcomes, `h1 chunked 50 MB body → ${r.status || 'reset before the answer'}`);
      })(),
      (async () => {
        requests++;
        const r = await streamH2(url, ca, client, `/v1/key/encrypt/${key}`, 50 * 1024 * 1024);
        maxBytesAccepted = Math.max(maxBytesAccepted, r.written);
        countKind(outcomes, `h2 50 MB body → ${r.status || 'none'}${r.reset ? '+reset' : '+left-open'}`);
      })(),
      (async () => {
        requests++;
        // A session the machine was too slow to set up (no answer at all) is tried again once: the case is about the head.
        let status = await h2BigHeader(url, ca, client);
        if (status.startsWith('rst')) status = `${await h2BigHeader(url, ca, client)}`;
        countKind(outcomes, `h2 40 KiB header → ${status}`);
      })(),
    );
  }
  await Promise.all(jobs);
  return { requests, outcomes, maxBytesAccepted };
}
