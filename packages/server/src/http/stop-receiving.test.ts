/**
 * HTTP/2 requests whose body the server stops reading (RFC 9113 §8.1): after the complete answer the server must
 * reset the stream with NO_ERROR, so that neither side keeps the stream (a concurrent-stream slot, flow-control
 * window, a busy connection the limits cannot reclaim) open until the client gives up. Found by the reliability suite
 * (test/reliability, oversized bodies): the reset waited for the compat response's `finish`, which Node emits only
 * when the stream closes, so it never came.
 */
import { connect, constants } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY } from '../routing/routes.js';
import { createFixtures, startTestServer, type Fixtures, type TestServer } from '../testing/harness.js';

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
async function unfinishedUpload(path: string, bodyBytes: number, waitMs: number): Promise<{ status: number; closed: boolean; rstCode: number | undefined }> {
  const session = connect(srv.server.url, { ca: fx.server.certPem, cert: fx.admin.certPem, key: fx.admin.keyPem });
  session.on('error', () => undefined);
  try {
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json' }, { endStream: false });
    stream.on('error', () => undefined);
    stream.on('data', () => undefined);
    const closed = new Promise<boolean>((resolve) => stream.once('close', () => resolve(true)));
    const status = await new Promise<number>((resolve) => {
      stream.once('response', (h) => resolve(Number(h[constants.HTTP2_HEADER_STATUS])));
      stream.write(Buffer.alloc(bodyBytes, 0x41));
    });
    const wasClosed = await Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), waitMs))]);
    return { status, closed: wasClosed, rstCode: stream.rstCode };
  } finally {
    session.destroy();
  }
}

describe('HTTP/2 bodies the server does not read to the end', () => {
  it('an oversized body: 400, then the stream is reset with NO_ERROR', async () => {
    const out = await unfinishedUpload('/v1/key/encrypt/some-key', MAX_BODY + 1, 2_000);
    expect(out).toEqual({ status: 400, closed: true, rstCode: constants.NGHTTP2_NO_ERROR });
  });

  it('a body on a route that takes none (create): the stream is reset too', async () => {
    const out = await unfinishedUpload('/v1/key/create/some-key', 10, 2_000);
    expect(out.closed).toBe(true);
    expect(out.rstCode).toBe(constants.NGHTTP2_NO_ERROR);
  });
});
