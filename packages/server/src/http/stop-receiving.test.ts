/**
 * HTTP/2 requests whose body the server stops reading (RFC 9113 §8.1): after the complete answer the server must
 * reset the stream with NO_ERROR, so that neither side keeps the stream (a concurrent-stream slot, flow-control
 * window, a busy connection the limits cannot reclaim) open until the client gives up. Found by the reliability suite
 * (test/reliability, oversized bodies): the reset waited for the compat response's `finish`, which Node emits only
 * when the stream closes, so it never came. And the reset must come after the complete answer (its END_STREAM): a
 * reset at the stream's `finish`, with the last frame still queued, lost the END_STREAM (a Node client never saw the
 * answer end) and, with concurrent streams, let Node destroy the stream before nghttp2 sent that frame — a native
 * assertion (`Http2Stream::OnTrailers`) that aborted the server process under the reliability suite's HTTP/2 fuzzer.
 */
import { connect, constants, createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY } from '../routing/routes.js';
import { createFixtures, startTestServer, type Fixtures, type TestServer } from '../testing/harness.js';
import { stopReceiving, type HttpResponse } from './types.js';

let fx: Fixtures;
let srv: TestServer;
beforeAll(async () => {
  fx = await createFixtures();
  srv = await startTestServer(fx);
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

/**
 * Sends `bodyBytes` on a stream without ending it (no content-length: the server finds out while reading) and
 * resolves with the answer and whether and how the stream was closed within `waitMs` after the answer.
 */
async function unfinishedUpload(
  path: string,
  bodyBytes: number,
  waitMs: number,
  method = 'POST',
): Promise<{ status: number; closed: boolean; rstCode: number | undefined; ended: boolean; body: string }> {
  const session = connect(srv.server.url, { ca: fx.server.certPem, cert: fx.admin.certPem, key: fx.admin.keyPem });
  session.on('error', () => undefined);
  try {
    const stream = session.request({ ':method': method, ':path': path, 'content-type': 'application/json' }, { endStream: false });
    stream.on('error', () => undefined);
    let body = '';
    let ended = false;
    stream.on('data', (d: Buffer) => (body += d.toString('utf8')));
    stream.on('end', () => (ended = true));
    const closed = new Promise<boolean>((resolve) => stream.once('close', () => resolve(true)));
    const status = await new Promise<number>((resolve) => {
      stream.once('response', (h) => resolve(Number(h[constants.HTTP2_HEADER_STATUS])));
      stream.write(Buffer.alloc(bodyBytes, 0x41));
    });
    const wasClosed = await Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), waitMs))]);
    return { status, closed: wasClosed, rstCode: stream.rstCode, ended, body };
  } finally {
    session.destroy();
  }
}

describe('HTTP/2 bodies the server does not read to the end', () => {
  it('an oversized body: the complete 400 (body and END_STREAM), then the stream is reset with NO_ERROR', async () => {
    const out = await unfinishedUpload('/v1/key/encrypt/some-key', MAX_BODY + 1, 2_000);
    expect(out).toEqual({ status: 400, closed: true, rstCode: constants.NGHTTP2_NO_ERROR, ended: true, body: '{"message":"invalid request body"\n}' });
  });

  it('a HEAD request with an oversized head and a body: 431, then the stream is reset', async () => {
    const session = connect(srv.server.url, { ca: fx.server.certPem, cert: fx.admin.certPem, key: fx.admin.keyPem });
    session.on('error', () => undefined);
    try {
      const stream = session.request({ ':method': 'HEAD', ':path': '/v1/status', 'x-big': 'a'.repeat(40 * 1024) }, { endStream: false });
      stream.on('error', () => undefined);
      stream.resume();
      const status = await new Promise<number>((resolve) => {
        stream.once('response', (h) => resolve(Number(h[constants.HTTP2_HEADER_STATUS])));
        stream.write('{}');
      });
      await new Promise<void>((resolve) => stream.once('close', () => resolve()));
      expect({ status, rstCode: stream.rstCode }).toEqual({ status: 431, rstCode: constants.NGHTTP2_NO_ERROR });
    } finally {
      session.destroy();
    }
  });

  it('a body on a route that takes none (create): the stream is reset too, after the complete answer', async () => {
    const out = await unfinishedUpload('/v1/key/create/some-key', 10, 2_000);
    expect(out).toMatchObject({ status: 200, closed: true, rstCode: constants.NGHTTP2_NO_ERROR, ended: true });
  });

  it('many concurrent streams whose bodies are not read, between ordinary ones on one session: every one answered, the server stays up', async () => {
    await srv.client().request('/v1/key/create/victim-key', { method: 'POST' });
    const session = connect(srv.server.url, { ca: fx.server.certPem, cert: fx.admin.certPem, key: fx.admin.keyPem });
    session.on('error', () => undefined);
    const outcomes: Record<string, number> = {};
    try {
      let next = 0;
      const one = (n: number) =>
        new Promise<string>((resolve) => {
          const kind = n % 4;
          const headers =
            kind === 0 ? { ':method': 'DELETE', ':path': '/v1/key/delete/absent-key' }
            : kind === 1 ? { ':method': 'GET', ':path': '/v1/key/describe/victim-key' }
            : kind === 2 ? { ':method': 'POST', ':path': '/v1/key/create/victim-key' }
            : { ':method': 'GET', ':path': '/version' };
          const stream = session.request(headers, { endStream: kind === 1 || kind === 3 });
          stream.on('error', () => undefined);
          stream.on('data', () => undefined);
          // like a Go client that got its answer: it cancels the rest of the upload
          stream.once('response', (h) => (resolve(String(h[constants.HTTP2_HEADER_STATUS])), stream.close()));
          stream.once('close', () => resolve(`rst${stream.rstCode}`));
          if (kind === 0 || kind === 2) stream.end(Buffer.from('{"x":1}'));
        });
      const worker = async () => {
        for (let n = next++; n < 400; n = next++) {
          const out = await one(n);
          outcomes[out] = (outcomes[out] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    } finally {
      session.destroy();
    }
    // delete of an absent key 404, describe 200, create of an existing key 400, version 200 — no reset without answer
    expect(outcomes).toEqual({ '200': 200, '400': 100, '404': 100 });
    expect((await srv.client(undefined, 'h2').request('/version')).status).toBe(200);
  });
});

describe('stopReceiving on a bare HTTP/2 server, answering from inside the body’s data event (within nghttp2’s receive)', () => {
  let bare: Http2SecureServer;
  let url: string;
  beforeAll(async () => {
    bare = createSecureServer({ key: fx.server.keyPem, cert: fx.server.certPem }, (req, res) => {
      req.once('data', () => {
        req.pause();
        stopReceiving(req, res as unknown as HttpResponse);
        const body = Buffer.from('{"message":"too big"\n}');
        res.writeHead(400, { 'content-type': 'application/json', 'content-length': String(body.length) });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => bare?.close(resolve));
  });

  it('the client gets the whole answer with its END_STREAM before the NO_ERROR reset, every time', async () => {
    const session = connect(url, { ca: fx.server.certPem });
    session.on('error', () => undefined);
    const outcomes: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        outcomes.push(
          await new Promise<string>((resolve) => {
            const stream = session.request({ ':method': 'POST', ':path': '/' }, { endStream: false });
            let body = '';
            let ended = false;
            stream.on('error', () => undefined);
            stream.on('data', (d: Buffer) => (body += d.toString('utf8')));
            stream.on('end', () => (ended = true));
            const timer = setTimeout(() => resolve(`still open after 1 s (ended ${ended}, ${body.length} bytes)`), 1_000);
            stream.on('close', () => (clearTimeout(timer), resolve(`ended ${ended}, rst ${stream.rstCode}, ${body.length} bytes`)));
            stream.write(Buffer.alloc(100_000, 0x41));
          }),
        );
      }
    } finally {
      session.destroy();
    }
    expect(outcomes).toEqual(Array(5).fill('ended true, rst 0, 22 bytes'));
  }, 15_000);
});
