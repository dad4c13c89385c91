import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCert, Pki, type CertPair } from '../testing/certs.js';
import { h1Client } from '../testing/client.js';
import { LineSink } from '../testing/harness.js';
import { parseServerArgs } from './args.js';
import { runServer, type RunningServer } from './run-server.js';

let pki: Pki;
let server: CertPair;
let app: CertPair;
beforeAll(async () => {
  pki = new Pki();
  server = pki.issue({ san: 'DNS:localhost,IP:127.0.0.1', cn: 'localhost' });
  await writeFile(join(pki.dir, 'server.key'), server.keyPem);
  await writeFile(join(pki.dir, 'server.crt'), server.certPem);
  await writeFile(join(pki.dir, 'other.key'), pki.issue({ cn: 'other' }).keyPem);
  app = await apiKeyCert();
});
afterAll(() => pki?.dispose());

const yaml = (allow: string[], extra = '') =>
  `admin:\n  identity: disabled\ntls:\n  key: server.key\n  cert: server.crt\npolicy:\n  app:\n    allow: [${allow.join(', ')}]\n    identities: [${app.identity}]\nlog:\n  audit: off\nkeystore:\n  memory: {}\n${extra}`;

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

async function start(text: string): Promise<{ running: RunningServer; stderr: LineSink; status: (path: string) => Promise<number> }> {
  const file = join(pki.dir, 'kes.yml');
  await writeFile(file, text);
  const stderr = new LineSink();
  const running = await runServer({
    args: parseServerArgs(['--config', file, '--addr', '127.0.0.1:0'], {}),
    env: {},
    cwd: pki.dir,
    stdout: new LineSink(),
    stderr,
    importModule: (s) => import(s),
    version: 'test',
    devCertDir: pki.dir,
  });
  const client = h1Client(running.server.url, server.certPem, app) // self-signed: its own CA;
  return { running, stderr, status: async (path) => (await client.request(path)).status };
}

describe('reloads of a config-mode server', () => {
  it('SIGHUPs during a reload are merged into one more reload, each logged once', async () => {
    const { running, stderr, status } = await start(yaml(['/v1/status']));
    try {
      await writeFile(join(pki.dir, 'kes.yml'), yaml(['/v1/status', '/v1/key/describe/*']));
      const answers = await Promise.all(Array.from({ length: 50 }, () => running.reload()));
      expect(answers).toEqual(Array(50).fill(true));
      const reloaded = stderr.lines.filter((l) => l === 'Configuration reloaded').length;
      expect(reloaded).toBeGreaterThanOrEqual(1);
      expect(reloaded).toBeLessThanOrEqual(2);
      expect(stderr.lines.filter((l) => l.startsWith('Reloading the configuration from')).length).toBe(reloaded);
      expect(await status('/v1/key/describe/k')).not.toBe(403);
    } finally {
      await running.close();
    }
  });

  it('prepareReload logs nothing and changes nothing until apply; discard keeps the running config', async () => {
    const { running, stderr, status } = await start(yaml(['/v1/status']));
    try {
      const notes: string[] = [];
      const next = yaml(['/v1/status', '/v1/key/describe/*'], 'unknown-field: 1\n');
      const prepared = await running.prepareReload('config', next, (l) => notes.push(l));
      expect(notes).toEqual([expect.stringMatching(new RegExp(`^Warning: .*kes\\.yml:${lineOf(next, 'unknown-field')}: unknown-field: unknown top-level field 'unknown-field' is ignored`))]);
      expect(await status('/v1/key/describe/k')).toBe(403);
      await prepared.apply();
      expect(await status('/v1/key/describe/k')).not.toBe(403);

      const dropped = await running.prepareReload('config', yaml(['/v1/status']));
      await dropped.discard();
      expect(await status('/v1/key/describe/k')).not.toBe(403);
      expect(stderr.lines.filter((l) => /reload|Reloading|Error/.test(l))).toEqual([]);
    } finally {
      await running.close();
    }
  });

  it('prepareReload rejects what one process would reject, with the same message', async () => {
    const { running, stderr } = await start(yaml(['/v1/status']));
    try {
      const broken = yaml(['/v1/status'], 'cache:\n  expiry:\n    any: -1m\n');
      await expect(running.prepareReload('config', broken)).rejects.toThrow(`kes.yml:${lineOf(broken, 'any: -1m')}: cache.expiry.any: kesconf: invalid cache expiry '-1m0s'`);
      await expect(running.prepareReload('config', yaml(['/v1/status']).replace('key: server.key', 'key: other.key'))).rejects.toThrow("tls.key: the private key 'other.key' does not belong to the certificate 'server.crt'");
      await writeFile(join(pki.dir, 'kes.yml'), yaml(['/v1/status']).replace('key: server.key', 'key: other.key'));
      expect(await running.reload()).toBe(false);
      expect(stderr.lines.join('\n')).toMatch(/Error: reload failed, the running configuration stays in effect:\n.*\n.*tls\.key: the private key 'other\.key' does not belong/);
    } finally {
      await running.close();
    }
  });
});
