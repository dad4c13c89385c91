/**
 * HTTP/2 sessions the server must end itself:
 * - a session Node's HTTP/2 layer ended on its own (a connection error from the client: GOAWAY, then it simply stops
 *   reading) — found by the reliability suite: its socket stayed open (CLOSE-WAIT once the client left) until the
 *   idle timeout, and forever with a stream open;
 * - a rapid reset flood (CVE-2023-44487: streams opened and cancelled at once) — closed with GOAWAY
 *   ENHANCE_YOUR_CALM once over the session's budget, long before nghttp2's own limit, while others keep being served.
 */
import { constants } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESET_BURST, RESETS_PER_SECOND } from './limits/session-guard.js';
import { expectJsonOk } from './testing/expect-error.js';
import { createFixtures, startTestServer, type Fixtures, type TestServer } from './testing/harness.js';
import { rawTls } from './testing/raw-socket.js';

let fx: Fixtures;
beforeAll(async () => {
  fx = await createFixtures();
});
afterAll(() => fx?.pki.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK without Huffman: `:method GET`, `:scheme https` (static), `:path` and `:authority` as literals. */
const GET_VERSION = Buffer.concat([Buffer.from([0x82, 0x87, 0x44, 8]), Buffer.from('/version'), Buffer.from([0x41, 9]), Buffer.from('localhost')]);

/**
 * A hand-written HTTP/2 client over TLS that answers PINGs (like every real client) and records the frame types and
 * GOAWAY codes it receives.
 */
async function rawH2(s: TestServer) {
  const conn = await rawTls(s.server.port, fx.admin, 'h2');
  const types: number[] = [];
  const goaways: number[] = [];
  let buf = Buffer.alloc(0);
  conn.socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 9 && buf.length >= 9 + buf.readUIntBE(0, 3)) {
      const len = buf.readUIntBE(0, 3);
      const [type, flags] = [buf[3]!, buf[4]!];
      const payload = buf.subarray(9, 9 + len);
      types.push(type);
      if (type === 7) goaways.push(payload.readUInt32BE(4));
      if (type === 6 && (flags & 1) === 0 && !conn.socket.destroyed) conn.socket.write(frame(6, 1, 0, payload)); // PING ACK
      buf = buf.subarray(9 + len);
    }
  });
  conn.socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
  conn.socket.write(frame(4, 0, 0)); // SETTINGS
  conn.socket.write(frame(1, 0x5, 1, GET_VERSION)); // HEADERS, END_STREAM | END_HEADERS
  const t0 = performance.now();
  while (!types.includes(0) && performance.now() - t0 < 5_000) await sleep(10); // the answer's DATA
  return { ...conn, types, goaways };
}

describe('sessions Node’s HTTP/2 layer ended on its own', () => {
  it('are closed soon after (GOAWAY PROTOCOL_ERROR, then the socket), not at the idle timeout; live quiet sessions stay', { timeout: 20_000 }, async () => {
    const s = await startTestServer(fx, { limits: { headerTimeoutMs: 500, idleTimeoutMs: 60_000 } });
    try {
      const live = await rawH2(s);
      const broken = await rawH2(s);
      expect(broken.types).toContain(0);
      broken.socket.write(frame(0, 0, 0, Buffer.from('x'))); // DATA on stream 0: a connection error (RFC 9113 §6.1)
      const closedIn = await Promise.race([broken.closed, sleep(8_000).then(() => Infinity)]);
      expect(broken.goaways).toEqual([constants.NGHTTP2_PROTOCOL_ERROR]);
      expect(closedIn).toBeLessThan(6_000);
      // the live session was quiet just as long (and was probed): still open, still served
      expect(live.isOpen()).toBe(true);
      expect(live.goaways).toEqual([]);
      const h2 = s.client(undefined, 'h2');
      expectJsonOk(await h2.request('/version'));
      live.socket.destroy();
    } finally {
      await s.close();
    }
  });
});

/** HPACK without Huffman or indexing: `POST /v1/key/generate/k`. */
const POST_GENERATE = Buffer.concat([Buffer.from([0x83, 0x87, 0x04, 18]), Buffer.from('/v1/key/generate/k'), Buffer.from([0x01, 9]), Buffer.from('localhost')]);
const RST_CANCEL = Buffer.from([0, 0, 0, 8]);

/**
 * The rapid reset pattern by hand (so that the client keeps reading while it writes): batches of HEADERS + RST_STREAM
 * CANCEL pairs, `pauseMs` between batches, until `total` streams, a GOAWAY or the close.
 */
async function rapidReset(h2: Awaited<ReturnType<typeof rawH2>>, total: number, batch: number, pauseMs: number): Promise<number> {
  let sent = 0;
  for (let id = 3; sent < total && h2.goaways.length === 0 && h2.isOpen(); ) {
    const frames: Buffer[] = [];
    for (let i = 0; i < batch && sent < total; i++, sent++, id += 2) frames.push(frame(1, 0x4, id, POST_GENERATE), frame(3, 0, id, RST_CANCEL));
    if (!h2.socket.write(Buffer.concat(frames))) await new Promise((r) => h2.socket.once('drain', r));
    await sleep(pauseMs);
  }
  return sent;
}

describe('HTTP/2 rapid reset', () => {
  it('a session cancelling streams as fast as it can gets GOAWAY ENHANCE_YOUR_CALM and is closed; others keep being served', { timeout: 30_000 }, async () => {
    const s = await startTestServer(fx);
    try {
      await s.client().request('/v1/key/create/k', { method: 'POST' });
      const legit = s.client(undefined, 'h2');
      let served = 0;
      let attacking = true;
      const legitLoop = (async () => {
        while (attacking) {
          expectJsonOk(await legit.request('/v1/key/describe/k'));
          served++;
        }
      })();
      const outcomes: string[] = [];
      for (let i = 0; i < 3; i++) {
        const attacker = await rawH2(s);
        const sent = await rapidReset(attacker, 5_000, 100, 0);
        const closedIn = await Promise.race([attacker.closed, sleep(5_000).then(() => Infinity)]);
        // Usually well before nghttp2's own limit (1,000 resets, then GOAWAY INTERNAL_ERROR, and the socket left
        // open). On a loaded machine one read can carry more than 1,000 pairs, which nghttp2 processes before the
        // guard's close runs: then its GOAWAY comes first, and the session is closed all the same.
        const calm = attacker.goaways.includes(constants.NGHTTP2_ENHANCE_YOUR_CALM);
        const early = sent < 1_000 || attacker.goaways[0] === constants.NGHTTP2_INTERNAL_ERROR;
        outcomes.push(`${calm ? 'calm' : `goaway ${attacker.goaways.join(',')}`}, ${early ? 'early' : `${sent} streams`}, ${closedIn < Infinity ? 'closed' : 'open'}`);
      }
      attacking = false;
      await legitLoop;
      expect(outcomes).toEqual(Array(3).fill('calm, early, closed'));
      expect(served).toBeGreaterThan(0);
      expect(s.stderr.lines.filter((l) => l.includes('too many cancelled streams (HTTP/2 rapid reset)'))).toHaveLength(3);
    } finally {
      await s.close();
    }
  });

  it('a client cancelling streams within the budget (a burst, then a steady trickle) keeps its session', { timeout: 30_000 }, async () => {
    const s = await startTestServer(fx);
    try {
      await s.client().request('/v1/key/create/k', { method: 'POST' });
      const client = await rawH2(s);
      expect(await rapidReset(client, RESET_BURST - 20, RESET_BURST, 0)).toBe(RESET_BURST - 20);
      // then RESETS_PER_SECOND / 2 per second
      expect(await rapidReset(client, Math.round(RESETS_PER_SECOND), Math.round(RESETS_PER_SECOND / 10), 200)).toBe(RESETS_PER_SECOND);
      await sleep(300);
      expect(client.goaways).toEqual([]);
      expect(client.isOpen()).toBe(true);
      client.socket.destroy();
    } finally {
      await s.close();
    }
  });
});
