/**
 * Test support (not a test file; excluded from the build like every `*.spec.ts`): a TLS proxy in front of the
 * emulator that answers chosen requests with a huge body instead of the vault's answer — with `Content-Length`,
 * chunked, or ended by closing the connection — and counts how much of it the client took. Its certificate is a
 * throw-away self-signed one made with the openssl CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How a huge answer is framed. */
export type Framing = 'length' | 'chunked' | 'close';

/** A huge answer for requests whose `METHOD /path` matches `match`. */
export interface HugeAnswer {
  readonly match: RegExp;
  readonly framing: Framing;
  readonly bytes: number;
  /** HTTP status of the huge answer (default 200). */
  readonly status?: number;
}

/** A running proxy. */
export interface AnswerProxy {
  /** `https://localhost:<port>`. */
  readonly url: string;
  /** The proxy's certificate (PEM), to trust besides the emulator's CA. */
  readonly certPem: string;
  /** Answers matching requests hugely from now on (`undefined`: pass everything through). */
  set(huge: HugeAnswer | undefined): void;
  /** Huge answers started since the last `set`, and the most body bytes any of them got into its connection. */
  stats(): { answers: number; maxBytesWritten: number };
  close(): Promise<void>;
}

/** A self-signed certificate for localhost and 127.0.0.1. */
function selfSigned(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kes-akv-proxy-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      { cwd: dir, stdio: 'pipe' },
    );
    return { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PIECE = Buffer.alloc(256 * 1024, 0x41);

/** Starts a proxy on 127.0.0.1 in front of `upstreamUrl` (whose certificate `upstreamCa` issued). */
export async function startAnswerProxy(upstreamUrl: string, upstreamCa: string): Promise<AnswerProxy> {
  const tls = selfSigned();
  const agent = new Agent({ keepAlive: true, ca: upstreamCa });
  const upstream = new URL(upstreamUrl);
  let huge: HugeAnswer | undefined;
  let answers = 0;
  let maxBytesWritten = 0;

  async function answerHugely(h: HugeAnswer, res: ServerResponse): Promise<void> {
    answers++;
    let sent = 0;
    const socket = res.socket!;
    socket.on('error', () => undefined);
    const head = '{"value":"';
    let write: (b: Buffer | string) => boolean;
    let drained: () => Promise<void>;
    let gone: () => boolean;
    if (h.framing === 'close') {
      socket.write(`HTTP/1.1 ${h.status ?? 200} OK\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n`);
      write = (b) => socket.write(b);
      drained = () => new Promise((r) => socket.once('drain', r));
      gone = () => socket.destroyed;
    } else {
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (h.framing === 'length') headers['content-length'] = String(h.bytes + head.length + 2);
      res.writeHead(h.status ?? 200, headers);
      write = (b) => res.write(b);
      drained = () => new Promise((r) => res.once('drain', r));
      gone = () => res.destroyed || socket.destroyed;
    }
    write(head);
    while (sent < h.bytes && !gone()) {
      const piece = PIECE.subarray(0, Math.min(PIECE.length, h.bytes - sent));
      sent += piece.length;
      maxBytesWritten = Math.max(maxBytesWritten, sent);
      if (!write(piece)) await Promise.race([drained(), new Promise((r) => socket.once('close', r))]);
    }
    if (gone()) return;
    write('"}');
    if (h.framing === 'close') socket.end();
    else res.end();
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const line = `${req.method} ${(req.url ?? '').split('?')[0]}`;
      const headers = { ...req.headers, host: upstream.host };
      const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (ures) => {
        const body: Buffer[] = [];
        ures.on('data', (c: Buffer) => body.push(c));
        ures.on('end', () => {
          // Authenticated requests only: the challenge (401) must pass for the client to get that far.
          if (huge !== undefined && ures.statusCode !== 401 && huge.match.test(line)) return void answerHugely(huge, res);
          res.writeHead(ures.statusCode ?? 502, ures.headers);
          res.end(Buffer.concat(body));
        });
      });
      up.on('error', () => res.socket?.destroy());
      up.end(Buffer.concat(chunks));
    });
  };
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://localhost:${(server.address() as { port: number }).port}`,
    certPem: tls.certPem,
    set(next) {
      huge = next;
      answers = 0;
      maxBytesWritten = 0;
    },
    stats: () => ({ answers, maxBytesWritten }),
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
