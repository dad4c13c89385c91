import { describe, expect, it } from 'vitest';
import { LineSink } from '../testing/harness.js';
import { BatchedWriter, MAX_DELAY_MS, MAX_WRITE } from './batched-writer.js';

const waitOut = () => new Promise((r) => setTimeout(r, MAX_DELAY_MS + 20));

class CountingSink extends LineSink {
  writes = 0;
  override _write(chunk: Buffer, enc: BufferEncoding, cb: () => void): void {
    this.writes++;
    super._write(chunk, enc, cb);
  }
}

describe('BatchedWriter', () => {
  it('writes the lines queued within its delay in one write, in order; flush writes what is queued at once', async () => {
    const sink = new CountingSink();
    const w = new BatchedWriter(sink);
    w.write('a\n');
    for (let i = 0; i < 50; i++) w.write(`b${i}\n`);
    expect(sink.lines).toHaveLength(0);
    await waitOut();
    expect(sink.lines).toEqual(['a', ...Array.from({ length: 50 }, (_, i) => `b${i}`)]);
    expect(sink.writes).toBe(1);
    w.write('c\n');
    await waitOut();
    expect(sink.lines.at(-1)).toBe('c');
    expect(sink.writes).toBe(2);
    w.write('d\n');
    w.flush();
    expect(sink.lines.at(-1)).toBe('d');
    await waitOut();
    expect(sink.writes).toBe(3); // nothing left for the timer
  });

  it('writes full chunks of lines as soon as they are queued, the rest within the delay', async () => {
    const chunks: string[] = [];
    const w = new BatchedWriter({ write: (t: string) => (chunks.push(t), true) } as unknown as NodeJS.WritableStream);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 45; i++) w.write(line);
    expect(chunks.map((c) => c.length)).toEqual([4000]);
    await waitOut();
    expect(chunks.map((c) => c.length)).toEqual([4000, 500]);
  });
});

describe('BatchedWriter write size', () => {
  it('splits a large batch into writes of whole lines of at most MAX_WRITE characters', async () => {
    const chunks: string[] = [];
    const w = new BatchedWriter({ write: (t: string) => (chunks.push(t), true) } as unknown as NodeJS.WritableStream);
    w.write('first\n');
    w.flush();
    const lines = Array.from({ length: 100 }, (_, i) => `${'x'.repeat(90)}-${i}\n`);
    for (const line of lines) w.write(line);
    w.write(`${'y'.repeat(5000)}\n`);
    w.flush();
    expect(chunks[0]).toBe('first\n');
    expect(chunks.join('')).toBe(['first\n', ...lines, `${'y'.repeat(5000)}\n`].join(''));
    for (const chunk of chunks.slice(1)) {
      expect(chunk.endsWith('\n')).toBe(true);
      if (chunk.length > MAX_WRITE) expect(chunk.split('\n')).toHaveLength(2); // one overlong line alone
    }
  });
});
