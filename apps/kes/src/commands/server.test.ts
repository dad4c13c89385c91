import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFsConfig } from '../testing/fs-configs.js';
import { runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kes-cli-server-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `kes server <argv>` in-process; resolves with the banner once it is up. */
function start(argv: string[], env: Record<string, string> = {}) {
  const stop = new AbortController();
  let reload: (() => void) | undefined;
  let banner = '';
  let up: () => void = () => {};
  const ready = new Promise<void>((resolve) => (up = resolve));
  const done = runCli(['server', ...argv], {
    cwd: dir,
    env: { KES_DEV_CERT_DIR: join(dir, 'dev-certs'), ...env },
    signal: stop.signal,
    onStdout: (_chunk, all) => {
      banner = all;
      if (all.includes('=> Server is up and running')) up();
    },
  });
  return { stop, done, ready: Promise.race([ready, done.then((r) => Promise.reject(new Error(`exited: ${JSON.stringify(r)}`)))]), banner: () => banner, reload: () => reload?.() };
}

describe('kes server', () => {
  it('--dev: banner with an admin API key that the other commands can use; deprecated flags warn; Ctrl-C stops it', async () => {
    const server = start(['--dev', '--addr', '127.0.0.1:0', '--auth', 'off', '--mlock']);
    await server.ready;
    const banner = server.banner();
    const endpoint = /export KES_SERVER=(\S+)/.exec(banner)?.[1];
    const apiKey = /export KES_API_KEY=(\S+)/.exec(banner)?.[1];
    expect(banner).toMatch(/^Version +0\.0\.0/);
    expect(banner).toMatch(/\nMLock +\S/);
    const env = { KES_SERVER: endpoint!, KES_API_KEY: apiKey! };
    expect(await runCli(['key', 'create', 'from-dev', '-k'], { env })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse((await runCli(['key', 'ls', '-k', '--json'], { env })).stdout)).toEqual(['from-dev']);
    server.stop.abort('SIGINT');
    const r = await server.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Warning: '--auth' is deprecated and ignored");
    expect(r.stderr).toContain('Received SIGINT: shutting down');
  });

  it('--config runs the configured keystore; bad flags and configs fail with the launcher’s exit codes', async () => {
    const config = writeFsConfig(dir, 'srv');
    const dev = start(['--dev', '--addr', '127.0.0.1:0']); // writes the dev certificate we reuse as the TLS files
    await dev.ready;
    dev.stop.abort();
    await dev.done;
    writeFileSync(
      join(dir, config),
      `address: 127.0.0.1:0\nadmin:\n  identity: disabled\ntls:\n  key: ./dev-certs/server.key\n  cert: ./dev-certs/server.crt\nkeystore:\n  fs:\n    path: ./srv-keys\n`,
    );
    const server = start(['--config', config]);
    await server.ready;
    expect(server.banner()).toMatch(/\nKMS +Filesystem/);
    expect(server.banner()).toMatch(/\nAdmin +<disabled>/);
    server.stop.abort();
    expect((await server.done).code).toBe(0);

    const usage = await runCli(['server', '--dev', '--config', config], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^Error: '--dev' and '--config' cannot be used together\n\nUsage:/);
    const missing = await runCli(['server', '--config', 'missing.yml'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: 1 problem in \S*missing\.yml:\n.*no such file/);
  });
});
