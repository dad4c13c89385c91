/**
 * Lets a Node `http.Server` receive Vault's `LIST` verb (spec `aws-vault.md` Appendix B, own code): Node's HTTP
 * parser (llhttp) knows no `LIST` method and answers 400 before any handler runs, so every request line
 * `LIST /p HTTP/1.1` is rewritten to `GET /p?list=true HTTP/1.1` on the socket, before the parser sees it.
 * Unlike the appendix, this shim follows chunked request bodies too, so keep-alive connections stay in sync.
 */
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** Largest request head the shim buffers (Node's own limit is 16 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;

type State = { kind: 'head' } | { kind: 'fixed'; left: number } | { kind: 'chunk-size' } | { kind: 'chunk-data'; left: number } | { kind: 'trailer' };

/**
 * Hands `socket` to `server` through a rewriting stream (call it from the listener's `connection` or
 * `secureConnection` handler). Never throws; a malformed head is passed through for Node's parser to reject.
 */
export function serveWithListVerb(server: HttpServer, socket: Socket): void {
  let buffer: Buffer = Buffer.alloc(0);
  let state: State = { kind: 'head' };
  const duplex = new Duplex({
    read() {},
    write(chunk: Buffer, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(err, callback) {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  const target = duplex as Duplex & Record<string, unknown>;
  target['setTimeout'] = (ms: number, cb?: () => void) => (socket.setTimeout(ms, cb), duplex);
  target['setNoDelay'] = (v?: boolean) => (socket.setNoDelay(v), duplex);
  target['setKeepAlive'] = (v?: boolean, d?: number) => (socket.setKeepAlive(v, d), duplex);
  target['remoteAddress'] = socket.remoteAddress;
  target['remotePort'] = socket.remotePort;
  target['encrypted'] = (socket as Socket & { encrypted?: boolean }).encrypted;

  const pump = () => {
    for (;;) {
      if (state.kind === 'head') {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buffer.length > MAX_HEAD_BYTES) return flushRaw();
          return;
        }
        const head = rewriteHead(buffer.subarray(0, end + 4).toString('latin1'));
        buffer = buffer.subarray(end + 4);
        duplex.push(Buffer.from(head, 'latin1'));
        state = bodyState(head);
      } else if (state.kind === 'fixed' || state.kind === 'chunk-data') {
        if (state.left === 0) {
          state = state.kind === 'fixed' ? { kind: 'head' } : { kind: 'chunk-size' };
          continue;
        }
        if (buffer.length === 0) return;
        const n = Math.min(state.left, buffer.length);
        duplex.push(buffer.subarray(0, n));
        buffer = buffer.subarray(n);
        state.left -= n;
      } else {
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.subarray(0, end + 2);
        buffer = buffer.subarray(end + 2);
        duplex.push(line);
        if (state.kind === 'trailer') {
          if (end === 0) state = { kind: 'head' };
          continue;
        }
        const size = parseInt(line.toString('latin1').split(';')[0]!.trim(), 16);
        if (!Number.isFinite(size)) return flushRaw();
        state = size === 0 ? { kind: 'trailer' } : { kind: 'chunk-data', left: size + 2 };
      }
    }
  };
  // Something unparseable: let Node's parser see the bytes as they are (it answers 400).
  const flushRaw = () => {
    duplex.push(buffer);
    buffer = Buffer.alloc(0);
    state = { kind: 'fixed', left: Number.MAX_SAFE_INTEGER };
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    pump();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  socket.on('error', (err) => duplex.destroy(err));
  server.emit('connection', duplex);
}

/** `LIST /p?x HTTP/1.1` → `GET /p?x&list=true HTTP/1.1`; other heads unchanged. */
export function rewriteHead(head: string): string {
  return head.replace(/^LIST (\S+)/, (_, target: string) => `GET ${target}${target.includes('?') ? '&' : '?'}list=true`);
}

function bodyState(head: string): State {
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) return { kind: 'chunk-size' };
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  return length ? { kind: 'fixed', left: Number(length[1]) } : { kind: 'head' };
}
