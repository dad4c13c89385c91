import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultEmulator, type VaultEmulator } from './emulator.js';
import { rewriteHead } from './list-verb.js';

let emulator: VaultEmulator;
beforeAll(async () => {
  emulator = await startVaultEmulator({ rootToken: 'root' });
});
afterAll(() => emulator.stop());

/** Sends raw bytes on one connection and collects everything until the server closes or `ms` pass. */
function exchange(raw: string, ms = 1500): Promise<string> {
  const { port } = new URL(emulator.address);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(raw));
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), ms);
  });
}

describe('LIST verb shim', () => {
  it('rewrites only the request line of LIST requests', () => {
    expect(rewriteHead('LIST /v1/kv/metadata/x HTTP/1.1\r\nHost: a\r\n\r\n')).toBe('GET /v1/kv/metadata/x?list=true HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(rewriteHead('LIST /v1/x?a=b HTTP/1.1\r\n\r\n')).toBe('GET /v1/x?a=b&list=true HTTP/1.1\r\n\r\n');
    fc.assert(fc.property(fc.string(), (s) => s.startsWith('LIST ') || rewriteHead(s) === s));
  });

  it('serves pipelined keep-alive requests with fixed-length and chunked bodies, then a LIST', async () => {
    const body = JSON.stringify({ data: { a: '1' } });
    const chunked = JSON.stringify({ data: { b: '2' } });
    const raw =
      `POST /v1/kv/data/p/a HTTP/1.1\r\nHost: x\r\nX-Vault-Token: root\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
      `POST /v1/kv/data/p/b HTTP/1.1\r\nHost: x\r\nX-Vault-Token: root\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${(5).toString(16)}\r\n${chunked.slice(0, 5)}\r\n${(chunked.length - 5).toString(16)}\r\n${chunked.slice(5)}\r\n0\r\n\r\n` +
      `LIST /v1/kv/metadata/q HTTP/1.1\r\nHost: x\r\nX-Vault-Token: root\r\nConnection: close\r\n\r\n`;
    // Pipelined handlers run concurrently, so the LIST reads a directory written before.
    await fetch(`${emulator.address}/v1/kv/data/q/c`, { method: 'POST', headers: { 'X-Vault-Token': 'root' }, body: body });
    const out = await exchange(raw);
    expect(out.match(/^HTTP\/1\.1 \d+/gm)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200']);
    expect(out).toContain('"keys":["c"]');
    const list = await exchange('LIST /v1/kv/metadata/p/ HTTP/1.1\r\nHost: x\r\nX-Vault-Token: root\r\nConnection: close\r\n\r\n');
    expect(list).toContain('"keys":["a","b"]');
  });

  it('without the shim Node would answer LIST with 400; with it, an unknown verb still gets an answer', async () => {
    const out = await exchange('PURGE /v1/kv/data/p/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 (400|405)/);
  });
});
