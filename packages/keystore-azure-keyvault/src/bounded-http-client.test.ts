import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createPipelineRequest, isRestError, type PipelineRequest } from '@azure/core-rest-pipeline';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerTooLargeError, boundedHttpClient, MAX_ANSWER_BYTES } from './bounded-http-client.js';

/** How the test server frames a body: `Content-Length`, chunked, or ended by closing the connection. */
type Framing = 'length' | 'chunked' | 'close';

interface Plan {
  framing: Framing;
  bytes: number;
  /** Announce this `Content-Length` but send nothing and keep the connection open. */
  announceOnly?: number;
  /** Send this many bytes of a longer announced body, then cut the connection. */
  cutAfter?: number;
  gzip?: boolean;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);
let server: Server;
let base = '';
const plans = new Map<string, Plan>();
/** Body bytes the server got written into the socket per path (what the client had to take). */
const written = new Map<string, number>();
const sockets = new Set<Socket>();

/** Writes `bytes` 'a's with backpressure, counting them; stops when the connection goes away. */
async function pump(path: string, write: (b: Buffer) => boolean, drain: (cb: () => void) => void, isGone: () => boolean, bytes: number): Promise<void> {
  let sent = 0;
  while (sent < bytes && !isGone()) {
    const piece = CHUNK.subarray(0, Math.min(CHUNK.length, bytes - sent));
    sent += piece.length;
    written.set(path, sent);
    if (!write(piece)) await new Promise<void>((resolve) => drain(resolve));
  }
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const plan = plans.get(path);
  if (plan === undefined) return void res.writeHead(404).end();
  res.on('error', () => undefined);
  if (plan.announceOnly !== undefined) return void res.writeHead(200, { 'content-length': String(plan.announceOnly) }).flushHeaders();
  if (plan.gzip === true) {
    const packed = gzipSync(Buffer.alloc(plan.bytes, 0x61));
    return void res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) }).end(packed);
  }
  if (plan.cutAfter !== undefined) {
    res.writeHead(200, { 'content-length': String(plan.bytes) });
    res.write(Buffer.alloc(plan.cutAfter, 0x61));
    return void setTimeout(() => res.socket?.destroy(), 20);
  }
  if (plan.framing === 'close') {
    // Raw HTTP/1.1 without Content-Length or chunking: the body ends when the connection closes.
    const socket = res.socket!;
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n');
    await pump(path, (b) => socket.write(b), (cb) => socket.once('drain', cb), () => socket.destroyed, plan.bytes);
    return void socket.end();
  }
  res.writeHead(200, plan.framing === 'length' ? { 'content-length': String(plan.bytes) } : {});
  await pump(path, (b) => res.write(b), (cb) => res.once('drain', cb), () => res.destroyed, plan.bytes);
  res.end();
}

beforeAll(async () => {
  server = createServer((req, res) => void serve(req, res));
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let counter = 0;
function planned(plan: Plan): { path: string; request: PipelineRequest } {
  const path = `/p${counter++}`;
  plans.set(path, plan);
  return { path, request: createPipelineRequest({ url: `${base}${path}?api-version=x`, allowInsecureConnection: true }) };
}

const LIMIT = 4096;
const client = boundedHttpClient(undefined, LIMIT);
const FRAMINGS: Framing[] = ['length', 'chunked', 'close'];

describe('boundedHttpClient', () => {
  it('MAX_ANSWER_BYTES is 1 MiB, far above any Key Vault answer (25 KB values)', () => {
    expect(MAX_ANSWER_BYTES).toBe(1 << 20);
  });

  it.each(FRAMINGS)('passes a body of exactly the limit (%s) as text', async (framing) => {
    const { request } = planned({ framing, bytes: LIMIT });
    const response = await client.sendRequest(request);
    expect(response.status).toBe(200);
    expect(response.bodyAsText).toBe('a'.repeat(LIMIT));
    expect(response.readableStreamBody).toBeUndefined();
  });

  it.each(FRAMINGS)('rejects a body one byte over the limit (%s) with AnswerTooLargeError', async (framing) => {
    const { request } = planned({ framing, bytes: LIMIT + 1 });
    const err = await client.sendRequest(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnswerTooLargeError);
    expect((err as AnswerTooLargeError).code).toBe('ANSWER_TOO_LARGE');
    expect((err as Error).message).toMatch(new RegExp(`^the answer to GET ${base}/p\\d+ is larger than 4096 bytes, the most an answer may hold`));
    expect((err as Error).message).not.toContain('api-version');
  });

  it('accepts a body iff it is at most the limit, for every framing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FRAMINGS), fc.integer({ min: LIMIT - 3, max: LIMIT + 3 }), async (framing, bytes) => {
        const { request } = planned({ framing, bytes });
        const outcome = await client.sendRequest(request).then((r) => r.bodyAsText?.length, (e: unknown) => e);
        if (bytes <= LIMIT) expect(outcome).toBe(bytes);
        else expect(outcome).toBeInstanceOf(AnswerTooLargeError);
      }),
      { numRuns: 30 },
    );
  });

  it.each(FRAMINGS)('stops reading a 64 MiB answer (%s) early and drops the connection', async (framing) => {
    const { path, request } = planned({ framing, bytes: 64 * 1024 * 1024 });
    const started = performance.now();
    const err = await boundedHttpClient().sendRequest(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnswerTooLargeError);
    expect(performance.now() - started).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 100)); // the server notices the closed connection
    const sent = written.get(path) ?? 0;
    // With Content-Length the answer fails before its body is read; otherwise at 1 MiB plus socket buffers.
    expect(sent, 'bytes the server could push before the client hung up').toBeLessThan(12 * 1024 * 1024);
  });

  it('fails at once on an announced Content-Length above the limit, without waiting for the body', async () => {
    const { request } = planned({ framing: 'length', bytes: 0, announceOnly: 64 * 1024 * 1024 });
    const started = performance.now();
    const err = await client.sendRequest(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnswerTooLargeError);
    expect((err as AnswerTooLargeError).announcedBytes).toBe(64 * 1024 * 1024);
    expect((err as Error).message).toContain('(it announced 67108864 bytes)');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('counts the decompressed bytes of a gzip answer (a small gzip of 64 MiB)', async () => {
    const { request } = planned({ framing: 'length', bytes: 64 * 1024 * 1024, gzip: true });
    request.headers.set('Accept-Encoding', 'gzip');
    await expect(client.sendRequest(request)).rejects.toBeInstanceOf(AnswerTooLargeError);
    const small = planned({ framing: 'length', bytes: 100, gzip: true });
    small.request.headers.set('Accept-Encoding', 'gzip');
    expect((await client.sendRequest(small.request)).bodyAsText).toBe('a'.repeat(100));
  });

  it('reports an answer cut off mid-body as PARSE_ERROR, like the SDK client', async () => {
    const { request } = planned({ framing: 'length', bytes: 1000, cutAfter: 10 });
    const err = await client.sendRequest(request).catch((e: unknown) => e);
    expect(isRestError(err)).toBe(true);
    expect((err as { code?: string }).code).toBe('PARSE_ERROR');
  });

  it('hands a body over as a stream when the caller asked for one, and restores the request', async () => {
    const { request } = planned({ framing: 'chunked', bytes: 100 });
    const asked = new Set([200]);
    const signal = new AbortController().signal;
    request.streamResponseStatusCodes = asked;
    request.abortSignal = signal;
    const response = await client.sendRequest(request);
    const chunks: Buffer[] = [];
    for await (const c of response.readableStreamBody!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('a'.repeat(100));
    expect(request.streamResponseStatusCodes).toBe(asked);
    expect(request.abortSignal).toBe(signal);
  });

  it("rejects when the caller's signal aborts while the body streams", async () => {
    const { request } = planned({ framing: 'chunked', bytes: 0, announceOnly: 100 });
    const controller = new AbortController();
    request.abortSignal = controller.signal;
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await expect(client.sendRequest(request)).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
