import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCertificate } from './dev-certificate.js';
import { launchServer, type LaunchOptions } from './launch.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kes-launch-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Collected text of a stream, and a way to wait for a pattern in it. */
function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (c: string) => (text += c));
  return {
    stream,
    text: () => text,
    async waitFor(pattern: RegExp, ms = 10_000): Promise<void> {
      const until = Date.now() + ms;
      while (!pattern.test(text)) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; got:\n${text}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

function options(argv: string[], extra: Partial<LaunchOptions> = {}) {
  const out = sink();
  const err = sink();
  const stop = new AbortController();
  let reload: (() => void) | undefined;
  const opts: LaunchOptions = {
    argv,
    env: { KES_DEV_CERT_DIR: join(dir, 'dev-certs') },
    cwd: dir,
    stdout: out.stream,
    stderr: err.stream,
    importModule: (s) => import(s),
    version: '1.2.3',
    devCertDir: join(dir, 'unused'),
    stop: stop.signal,
    onReload: (listener) => {
      reload = listener;
      return () => (reload = undefined);
    },
    ...extra,
  };
  return { opts, out, err, stop, reload: () => reload?.() };
}

describe('launchServer', () => {
  it('development mode: banner with version and API key; a reload is refused politely; stop returns 0', async () => {
    const run = options(['--dev', '--addr', '127.0.0.1:0']);
    const exit = launchServer(run.opts);
    await run.out.waitFor(/=> Server is up and running/);
    expect(run.out.text()).toMatch(/^Version {5}1\.2\.3/);
    expect(run.out.text()).toMatch(/\nAPI Key {5}kes:v1:\S+\n/);
    run.reload();
    await run.err.waitFor(/development mode has no config file to reload/);
    run.stop.abort('SIGTERM');
    expect(await exit).toBe(0);
    expect(run.err.text()).toContain('Received SIGTERM: shutting down');
  });

  it('config mode: reload re-reads the file; a broken file keeps the running config', async () => {
    const certs = await ensureDevCertificate(join(dir, 'cfg-certs'), ['localhost'], ['127.0.0.1']);
    const file = join(dir, 'config.yml');
    const yaml = (any: string) =>
      `address: 127.0.0.1:0\nadmin:\n  identity: disabled\ntls:\n  key: ${certs.keyFile}\n  cert: ${certs.certFile}\ncache:\n  expiry:\n    any: ${any}\nkeystore:\n  memory: {}\n`;
    await writeFile(file, yaml('5m'));
    const run = options(['--config', file]);
    const exit = launchServer(run.opts);
    await run.out.waitFor(/=> Server is up and running/);
    await writeFile(file, yaml('1m'));
    run.reload();
    await run.err.waitFor(/Configuration reloaded/);
    await writeFile(file, yaml('-1s'));
    run.reload();
    await run.err.waitFor(/reload failed, the running configuration stays in effect/);
    run.stop.abort();
    expect(await exit).toBe(0);
    expect(run.err.text()).toContain('Shutting down\n');
  });

  it('usage errors exit 2 with the usage, --help prints it and exits 0, a start failure exits 1', async () => {
    const bad = options(['--frobnicate']);
    expect(await launchServer(bad.opts)).toBe(2);
    expect(bad.err.text()).toMatch(/^Error: .*frobnicate.*\n\nUsage:\n {4}kes server \[options\]/);
    const help = options(['--help']);
    expect(await launchServer(help.opts)).toBe(0);
    expect(help.out.text()).toMatch(/^Usage:\n {4}kes server/);
    const missing = options(['--config', join(dir, 'nope.yml')]);
    expect(await launchServer(missing.opts)).toBe(1);
    expect(missing.err.text()).toMatch(/^Error: 1 problem in .*nope\.yml:\n.*no such file/);
  });
});
