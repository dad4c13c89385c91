import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyReader } from './body.js';
import type { HttpRequest } from './types.js';

/** An HTTP/1.1-like request: a paused Readable with headers, as Node's parser fills it. */
function request(headers: Record<string, string>): Readable & { headers: Record<string, string>; complete: boolean } {
  const req = Object.assign(new Readable({ read() {} }), { headers, complete: false, httpVersionMajor: 1 });
  return req;
}

describe('BodyReader', () => {
  it('takes a declared-length body pushed right after the request event without flowing the stream', async () => {
    const req = request({ 'content-length': '5' });
    const body = new BodyReader(req as unknown as HttpRequest, 100);
    const reading = body.read();
    // what Node's parser does after the request event, within the same packet
    req.push(Buffer.from('hello'));
    expect((await reading).toString()).toBe('hello');
    expect(req.listenerCount('data')).toBe(0);
    expect(req.readableFlowing).not.toBe(true);
    expect(body.unconsumed).toBe(false);
  });

  it('streams a body that arrives later, in pieces, within its limit', async () => {
    const req = request({ 'content-length': '10' });
    const body = new BodyReader(req as unknown as HttpRequest, 100);
    const reading = body.read();
    req.push(Buffer.from('hello'));
    await new Promise((r) => setImmediate(r));
    req.push(Buffer.from('world'));
    req.push(null);
    expect((await reading).toString()).toBe('helloworld');
    expect(body.unconsumed).toBe(false);
  });

  it('fails a chunked body above the limit while reading', async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const body = new BodyReader(req as unknown as HttpRequest, 4);
    const reading = body.read();
    req.push(Buffer.from('hello'));
    await expect(reading).rejects.toMatchObject({ status: 400, message: 'invalid request body' });
    expect(body.unconsumed).toBe(true);
  });

  it('fails a body whose client goes away before its end', async () => {
    const req = request({ 'content-length': '10' });
    const body = new BodyReader(req as unknown as HttpRequest, 100);
    const reading = body.read();
    req.push(Buffer.from('hel'));
    await new Promise((r) => setImmediate(r));
    req.destroy();
    await expect(reading).rejects.toMatchObject({ status: 400 });
  });

  it('rejects a second read', async () => {
    const req = request({ 'content-length': '2' });
    req.push(Buffer.from('{}'));
    const body = new BodyReader(req as unknown as HttpRequest, 100);
    expect((await body.read()).toString()).toBe('{}');
    await expect(body.read()).rejects.toMatchObject({ status: 400 });
  });
});
