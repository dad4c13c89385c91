import { X509Certificate, createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerArgs } from '../launch/args.js';
import { runServer, type RunningServer } from '../launch/run-server.js';
import { Pki, type CertPair } from '../testing/certs.js';
import { LineSink } from '../testing/harness.js';

let pki: Pki;
let dir: string;
beforeAll(() => {
  pki = new Pki();
  dir = pki.dir;
});
afterAll(() => pki?.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Replaces `name` in the config directory atomically (write + rename), as renewal tools do. */
async function replace(name: string, text: string): Promise<void> {
  await writeFile(join(dir, `${name}.tmp`), text);
  await rename(join(dir, `${name}.tmp`), join(dir, name));
}

/** Connects with `client` and reports the served certificate's SHA-256 and whether the connection stays usable. */
function handshake(port: number, client?: CertPair): Promise<{ served: string; open: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, cert: client?.certPem, key: client?.keyPem, ALPNProtocols: ['http/1.1'] });
    socket.on('error', () => undefined);
    socket.once('secureConnect', () => {
      const served = createHash('sha256').update(socket.getPeerCertificate().raw).digest('hex');
      socket.write('GET /version HTTP/1.1\r\nHost: localhost\r\n\r\n');
      socket.once('data', () => (resolve({ served, open: true }), socket.destroy()));
      socket.once('close', () => resolve({ served, open: false }));
    });
    socket.once('error', reject);
  });
}

const sha = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 4000): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  for (;;) {
    const value = await probe();
    if (ok(value)) return { value, ms: performance.now() - t0 };
    if (performance.now() - t0 > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe('TLS files changed on disk (kes server --config)', () => {
  it('picks up a renewed certificate and a new CA within seconds, and keeps the old ones when the new files are bad', { timeout: 30_000 }, async () => {
    const caA = pki.issue({ ca: true, cn: 'ca-a' });
    const caB = pki.issue({ ca: true, cn: 'ca-b' });
    const clientB = pki.issue({ issuer: caB, cn: 'client-b' });
    const first = pki.issue({ san: 'DNS:localhost,IP:127.0.0.1' });
    await writeFile(join(dir, 'server.key'), first.keyPem);
    await writeFile(join(dir, 'server.crt'), first.certPem);
    await writeFile(join(dir, 'ca.pem'), caA.certPem);
    await writeFile(
      join(dir, 'kes.yml'),
      'admin:\n  identity: disabled\ntls:\n  key: server.key\n  cert: server.crt\n  ca: ca.pem\n  auth: on\nlog:\n  audit: off\nkeystore:\n  memory: {}\n',
    );
    const stderr = new LineSink();
    const running: RunningServer = await runServer({
      args: parseServerArgs(['--config', join(dir, 'kes.yml'), '--addr', '127.0.0.1:0'], {}),
      env: {},
      cwd: dir,
      stdout: new LineSink(),
      stderr,
      importModule: (s) => import(s),
      version: 'test',
      devCertDir: dir,
    });
    try {
      const port = running.server.port;
      expect((await handshake(port, clientB)).served).toBe(sha(first.certPem));
      expect((await handshake(port, clientB)).open).toBe(false); // client-b's CA is not trusted yet

      const renewed = pki.issue({ san: 'DNS:localhost,IP:127.0.0.1', days: 30 });
      await replace('server.key', renewed.keyPem);
      await replace('server.crt', renewed.certPem);
      const switched = await eventually(() => handshake(port), (h) => h.served === sha(renewed.certPem));
      expect(switched.ms).toBeLessThan(3000);
      expect(stderr.lines).toContain('TLS files re-read: the new certificate is in use');

      await replace('ca.pem', caB.certPem);
      await eventually(() => handshake(port, clientB), (h) => h.open);

      await replace('server.crt', '-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n');
      await eventually(async () => stderr.lines.join('\n'), (t) => t.includes('Error: re-reading the TLS files failed, the current certificate stays in use'));
      expect(stderr.lines.join('\n')).toMatch(/server\.crt' is not a PEM certificate/);
      expect((await handshake(port, clientB)).served).toBe(sha(renewed.certPem));
    } finally {
      await running.close();
    }
  });
});
