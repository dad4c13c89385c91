/**
 * A TLS proxy in front of an emulated vault that can spoil the vault's answers in ways the emulator's knobs cannot:
 * garbage bodies, HTML instead of JSON, a well-formed secret bundle carrying a value that is no stored key, the real
 * bundle with its last byte missing (invalid JSON that still holds the secret), a 64 MB answer, an answer cut off
 * mid-body. Only requests matching `match` (`METHOD /path`) are spoiled; everything else
 * passes through unchanged.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { Agent, request } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CertPair } from '../support/pki.js';

/** How matching answers are spoiled. */
export type Spoil = 'none' | 'garbage' | 'html' | 'wrong-value' | 'corrupt-json' | 'oversized' | 'truncated';

/** Size of the `oversized` answer. */
export const OVERSIZED_BYTES = 64 * 1024 * 1024;

/** A running proxy. */
export interface FaultProxy {
  /** `https://localhost:<port>`. */
  readonly url: string;
  /** Changes the spoiling; `match` defaults to reads of one secret version (`GET /secrets/<name>/<version>`). */
  set(spoil: Spoil, match?: RegExp): void;
  /** Answers spoiled since the last `set`. */
  spoiled(): number;
  close(): Promise<void>;
}

const VERSIONED_READ = /^GET \/secrets\/[^/]+\/[0-9a-f]{32}(\?|$)/;

function spoilAnswer(spoil: Spoil, upstream: { status: number; headers: Record<string, string>; body: Buffer }, res: ServerResponse): void {
  switch (spoil) {
    case 'garbage':
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(randomBytes(2048));
      return;
    case 'html':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Please sign in to the network</body></html>');
      return;
    case 'wrong-value': {
      const bundle = JSON.parse(upstream.body.toString('utf8')) as Record<string, unknown>;
      bundle['value'] = `not-a-stored-key-${randomBytes(8).toString('hex')}`;
      res.writeHead(upstream.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(bundle));
      return;
    }
    case 'corrupt-json':
      // The real bundle with its last byte missing: not JSON any more, but the secret value is all there.
      res.writeHead(upstream.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(upstream.body.subarray(0, upstream.body.length - 1));
      return;
    case 'oversized': {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(OVERSIZED_BYTES + 12) });
      res.write('{"value":"');
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      let sent = 0;
      const pump = () => {
        while (sent < OVERSIZED_BYTES && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('"}');
      };
      res.on('error', () => undefined);
      pump();
      return;
    }
    case 'truncated':
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '4096' });
      res.write(upstream.body.subarray(0, Math.min(40, upstream.body.length)));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    case 'none':
      res.writeHead(upstream.status, upstream.headers);
      res.end(upstream.body);
  }
}

/** Starts a proxy on 127.0.0.1 with `tls` (its certificate must be trusted by the vault's clients) in front of `upstreamUrl`. */
export async function startFaultProxy(upstreamUrl: string, upstreamCa: string, tls: CertPair): Promise<FaultProxy> {
  const agent = new Agent({ keepAlive: true, ca: upstreamCa });
  const upstream = new URL(upstreamUrl);
  let spoil: Spoil = 'none';
  let match = VERSIONED_READ;
  let spoiled = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers, host: upstream.host };
      const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (ures) => {
        const body: Buffer[] = [];
        ures.on('data', (c: Buffer) => body.push(c));
        ures.on('end', () => {
          const answer = { status: ures.statusCode ?? 502, headers: ures.headers as Record<string, string>, body: Buffer.concat(body) };
          const hit = spoil !== 'none' && answer.status === 200 && match.test(`${req.method} ${req.url}`);
          if (hit) spoiled++;
          spoilAnswer(hit ? spoil : 'none', answer, res);
        });
      });
      up.on('error', () => res.socket?.destroy());
      up.end(Buffer.concat(chunks));
    });
  };
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://localhost:${port}`,
    set(next, pattern) {
      spoil = next;
      match = pattern ?? VERSIONED_READ;
      spoiled = 0;
    },
    spoiled: () => spoiled,
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
