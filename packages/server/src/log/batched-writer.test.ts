import { describe, expect, it } from 'vitest';
import { LineSink } from '../testing/harness.js';
import { BatchedWriter } from './batched-writer.js';

class CountingSink extends LineSink {
  writes = 0;
  override _write(chunk: Buffer, enc: BufferEncoding, cb: () => void): void {
    this.writes++;
    super._write(chunk, enc, cb);
  }
}

describe('BatchedWriter', () => {
  it('writes a lone line at once and the rest of a busy turn in one write at its end, in order', async () => {
    const sink = new CountingSink();
    const w = new BatchedWriter(sink);
    w.write('a\n');
    expect(sink.lines).toEqual(['a']);
    for (let i = 0; i < 50; i++) w.write(`b${i}\n`);
    expect(sink.lines).toHaveLength(1);
    await new Promise((r) => setImmediate(r));
    expect(sink.lines).toEqual(['a', ...Array.from({ length: 50 }, (_, i) => `b${i}`)]);
    expect(sink.writes).toBe(2);
    await new Promise((r) => setImmediate(r));
    w.write('c\n');
    expect(sink.lines.at(-1)).toBe('c');
    w.write('d\n');
    w.flush();
    expect(sink.lines.at(-1)).toBe('d');
  });
});
