/**
 * HTTP/1.1 error answers followed by a close (400 for a body beyond the limit, 431 for a head beyond it, 400 for
 * conflicting framing) must reach a client that is still sending: the server ends its side after the answer, discards
 * what still comes for a bounded time and only then closes — a close with unread data is a TCP reset, which makes the
 * client's kernel drop the answer it has not read yet. Found by the reliability suite (oversized bodies: most 50 MB
 * chunked uploads saw a reset instead of the 400).
 */
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtures, startTestServer, type Fixtures, type TestServer } from '../testing/harness.js';
import { rawTls } from '../testing/raw-socket.js';
import { LINGER_MS } from './lingering-close.js';

let fx: Fixtures;
let srv: TestServer;
beforeAll(async () => {
  fx = await createFixtures();
  srv = await startTestServer(fx);
  await srv.client().request('/v1/key/create/k', { method: 'POST' });
  await srv.client().request('/v1/key/create/victim', { method: 'POST' });
});
afterAll(async () => {
  await srv?.close();
  fx?.pki.dispose();
});

interface Upload {
  /** What the server sent (latin1). */
  received: string;
  /** Bytes the client handed to the socket before it closed. */
  written: number;
  /** Milliseconds from the server's first answer byte to the close. */
  closedAfterAnswer: number;
}

/**
 * Writes `head`, then `chunk` over and over (with backpressure) until the connection closes or 20 s pass; like a busy
 * client, it reads nothing during the first 300 ms (a reset meanwhile fails its writes and the unread answer is lost).
 */
async function keepSending(head: string, chunk: Buffer): Promise<Upload> {
  const conn = await rawTls(srv.server.port, fx.admin);
  const socket: TLSSocket = conn.socket;
  socket.pause();
  setTimeout(() => socket.resume(), 300);
  let written = 0;
  let answeredAt = 0;
  socket.on('data', () => (answeredAt ||= performance.now()));
  socket.write(head);
  const pump = () => {
    while (!socket.destroyed && socket.writable) {
      written += chunk.length;
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  pump();
  await Promise.race([conn.closed, new Promise((r) => setTimeout(r, 20_000))]);
  const closedAt = performance.now();
  socket.destroy();
  return { received: conn.received(), written, closedAfterAnswer: answeredAt === 0 ? -1 : closedAt - answeredAt };
}

const POST = (path: string, framing: string) => `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${framing}\r\n`;
const CHUNK = Buffer.alloc(64 * 1024, 0x41);
const CHUNKED_FRAME = Buffer.concat([Buffer.from(`${CHUNK.length.toString(16)}\r\n`), CHUNK, Buffer.from('\r\n')]);

describe('HTTP/1.1 error answers to clients that keep sending', () => {
  it('a declared body beyond the limit: every client reads the 400, the connection closes soon after', async () => {
    const uploads = await Promise.all(Array.from({ length: 8 }, () => keepSending(POST('/v1/key/encrypt/k', 'Content-Length: 50000000\r\n'), CHUNK)));
    for (const u of uploads) {
      expect(u.received).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[^]*connection: close\r\n/i);
      expect(u.closedAfterAnswer).toBeLessThan(LINGER_MS + 2_000);
      expect(u.written).toBeLessThan(16 * 1024 * 1024);
    }
  });

  it('a chunked body growing beyond the limit: every client reads the 400, and the server stops reading', async () => {
    const uploads = await Promise.all(Array.from({ length: 8 }, () => keepSending(POST('/v1/key/decrypt/k', 'Transfer-Encoding: chunked\r\n'), CHUNKED_FRAME)));
    for (const u of uploads) {
      expect(u.received).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(u.closedAfterAnswer).toBeLessThan(LINGER_MS + 2_000);
      expect(u.written).toBeLessThan(16 * 1024 * 1024);
    }
  });

  it('a head growing beyond the limit: every client reads the 431', async () => {
    const field = Buffer.from(`X-Pad: ${'a'.repeat(1000)}\r\n`);
    const uploads = await Promise.all(Array.from({ length: 8 }, () => keepSending('GET /version HTTP/1.1\r\nHost: localhost\r\n', field)));
    for (const u of uploads) {
      expect(u.received).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
      expect(u.closedAfterAnswer).toBeLessThan(LINGER_MS + 2_000);
    }
  });

  it('nothing sent after the answer runs: a request smuggled behind conflicting framing never executes', async () => {
    const smuggled = 'DELETE /v1/key/delete/victim HTTP/1.1\r\nHost: localhost\r\n\r\n';
    const conn = await rawTls(srv.server.port, fx.admin);
    conn.socket.write(`POST /v1/key/encrypt/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 60\r\n\r\n{}${smuggled}`);
    await conn.closed;
    expect(conn.received()).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    expect((await srv.client().request('/v1/key/describe/victim')).status).toBe(200);
  });

  it('a request pipelined behind an answer with Connection: close never executes (RFC 9112 §9.6)', async () => {
    const pipelined = 'DELETE /v1/key/delete/victim HTTP/1.1\r\nHost: localhost\r\n\r\n';
    const conn = await rawTls(srv.server.port, fx.admin);
    // create reads no body: its answer carries Connection: close, and the DELETE behind it must not run
    conn.socket.write(`POST /v1/key/create/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}${pipelined}`);
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[^]*connection: close\r\n[^]*key does already exist/i);
    expect(conn.received().match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect((await srv.client().request('/v1/key/describe/victim')).status).toBe(200);
  });
});
