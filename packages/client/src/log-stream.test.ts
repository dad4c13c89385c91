import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKesClientError } from './errors.js';
import { decodeAuditEvent, decodeErrorEvent, MAX_LOG_LINE, NdjsonLogStream } from './log-stream.js';

const where = { what: 'test log', endpoint: 'https://x' };

/** A body that delivers `text` in the given chunks. */
function body(chunks: Buffer[]): IncomingMessage {
  return Readable.from(chunks) as unknown as IncomingMessage;
}

function chunked(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

describe('NdjsonLogStream', () => {
  it('decodes the upstream example lines (µs-truncated ns durations, no ip)', async () => {
    const lines = [
      '{"time":"2023-03-24T12:37:33Z","request":{"path":"/v1/log/audit","identity":"dd46"},"response":{"code":200, "time":12106}}',
      '{"time":"2023-03-24T12:38:02Z","request":{"ip":"10.0.0.1","path":"/v1/policy/list/*","identity":"dd46"},"response":{"code":200, "time":15572}}',
    ];
    const events = await collect(new NdjsonLogStream(body([Buffer.from(lines.join('\n') + '\n')]), decodeAuditEvent, where));
    expect(events).toEqual([
      { time: '2023-03-24T12:37:33Z', request: { path: '/v1/log/audit', identity: 'dd46' }, response: { code: 200, time: 12106 } },
      {
        time: '2023-03-24T12:38:02Z',
        request: { ip: '10.0.0.1', path: '/v1/policy/list/*', identity: 'dd46' },
        response: { code: 200, time: 15572 },
      },
    ]);
  });

  it('yields the same events however the bytes are chunked (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (messages, cuts, trailingNewline) => {
          const text = messages.map((m) => JSON.stringify({ message: m })).join('\n') + (trailingNewline ? '\n' : '');
          const events = await collect(new NdjsonLogStream(body(chunked(text, cuts)), decodeErrorEvent, where));
          expect(events.map((e) => e.message)).toEqual(messages);
        },
      ),
    );
  });

  it('skips blank lines and rejects malformed or oversized ones', async () => {
    const ok = await collect(new NdjsonLogStream(body([Buffer.from('\n{"message":"a"}\n\n')]), decodeErrorEvent, where));
    expect(ok).toEqual([{ message: 'a' }]);
    for (const bad of ['{"message":1}\n', 'nope\n', '{"message":"a"', Buffer.alloc(MAX_LOG_LINE + 1, 0x61).toString()]) {
      let caught: unknown;
      try {
        await collect(new NdjsonLogStream(body([Buffer.from(bad)]), decodeErrorEvent, where));
      } catch (err) {
        caught = err;
      }
      expect(isKesClientError(caught, 'INVALID_RESPONSE'), bad.slice(0, 20)).toBe(true);
    }
  });

  it('ends quietly after close() or an abort', async () => {
    const endless = new Readable({ read() {} });
    endless.push('{"message":"first"}\n');
    const ac = new AbortController();
    const stream = new NdjsonLogStream(endless as unknown as IncomingMessage, decodeErrorEvent, where, ac.signal);
    const seen: string[] = [];
    for await (const e of stream) {
      seen.push(e.message);
      ac.abort();
    }
    expect(seen).toEqual(['first']);
    const closed = new NdjsonLogStream(body([Buffer.from('{"message":"x"}\n')]), decodeErrorEvent, where, AbortSignal.abort());
    expect(await collect(closed)).toEqual([]);
  });
});
