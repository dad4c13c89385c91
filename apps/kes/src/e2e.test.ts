/**
 * The `kes` binary as users run it: `node bin/kes.js …` in subprocesses (built dist/ when present, else the sources
 * through tsx), against a real server. The in-process tests next to each command cover the details.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFsConfig, writeKeys } from './testing/fs-configs.js';
import { execCli, KES_BIN, spawnCli } from './testing/run-cli.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kes-cli-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NO_STACK = /\n\s+at /;

describe('the Azure tutorial flow, through bin/kes.js', { timeout: 60_000 }, () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('identity new → server with that certificate → key create / key dek with KES_SERVER, KES_CLIENT_CERT, KES_CLIENT_KEY', async () => {
    const cwd = join(dir, 'tutorial');
    mkdirSync(cwd);
    const serverId = await execCli(['identity', 'new', '--ip', '127.0.0.1', 'localhost'], { cwd, env: { KES_FORCE_TTY: '1', NO_COLOR: '1' } });
    expect(serverId.code).toBe(0);
    expect(serverId.stdout).toMatch(/^\n {2}Private key: {2}private\.key\n {2}Certificate: {2}public\.crt\n {2}Identity: {5}[0-9a-f]{64}\n$/);
    const clientId = await execCli(['identity', 'new', '--key=client.key', '--cert=client.crt', 'MyApp'], { cwd });
    expect(clientId.code).toBe(0);
    const identity = /Identity: +([0-9a-f]{64})/.exec(clientId.stdout)?.[1];
    const of = await execCli(['identity', 'of', 'client.crt'], { cwd });
    expect(of).toEqual({ code: 0, stdout: identity, stderr: '' });

    server = await startTestServer({
      adminIdentity: identity!,
      tls: { certPem: readFileSync(join(cwd, 'public.crt'), 'utf8'), keyPem: readFileSync(join(cwd, 'private.key'), 'utf8') },
    });
    const env = { KES_SERVER: `https://${server.endpoint}`, KES_CLIENT_CERT: 'client.crt', KES_CLIENT_KEY: 'client.key' };
    expect(await execCli(['key', 'create', 'my-key-1', '-k'], { cwd, env })).toEqual({ code: 0, stdout: '', stderr: '' });
    const dek = await execCli(['key', 'dek', 'my-key-1', '-k'], { cwd, env: { ...env, KES_FORCE_TTY: '1' } });
    expect(dek.code).toBe(0);
    expect(dek.stdout).toMatch(/^\nplaintext: {2}[A-Za-z0-9+/]{43}=\nciphertext: [A-Za-z0-9+/]+={0,2}\n$/);
    // Trusting the server's own certificate instead of -k; piped output is JSON.
    const trusted = await execCli(['key', 'dek', 'my-key-1'], { cwd, env: { ...env, KES_CA_PATH: 'public.crt' } });
    expect(Object.keys(JSON.parse(trusted.stdout) as object)).toEqual(['plaintext', 'ciphertext']);
    // Without -k or a CA: one clear line, exit 1, no stack trace.
    const untrusted = await execCli(['key', 'create', 'my-key-2'], { cwd, env });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/^Error: failed to create key 'my-key-2': the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted .*--ca <file>.*--insecure \(-k\)\n$/);
    expect(untrusted.stdout).toBe('');
  });

  it('prints the dek in the two-line form on a real terminal (script -qc)', async () => {
    if (server === undefined || spawnSync('script', ['--version']).status !== 0) return;
    const cwd = join(dir, 'tutorial');
    // Not spawnSync: the server runs in this process and must keep answering.
    const child = spawn('script', ['-qec', `${process.execPath} ${KES_BIN} key dek my-key-1 -k`, '/dev/null'], {
      cwd,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], KES_CLI_FROM: process.env['KES_CLI_FROM'], NO_COLOR: '1', KES_SERVER: server.endpoint, KES_CLIENT_CERT: 'client.crt', KES_CLIENT_KEY: 'client.key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(status).toBe(0);
    expect(out.replace(/\r\n/g, '\n')).toMatch(/^\nplaintext: {2}\S+\nciphertext: \S+\n$/);
  });
});

describe('errors of the binary', { timeout: 60_000 }, () => {
  it('usage errors exit 2, failures exit 1; one line each, never a stack trace', async () => {
    const usage = await execCli(['key', 'create']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe("Error: missing required argument 'name'. See 'kes key create --help'\n");
    const unreachable = await execCli(['key', 'ls'], { env: { KES_SERVER: '127.0.0.1:1', KES_API_KEY: 'kes:v1:AD/Jo5Fp/hQwWo5YAIv8bcyxg7V6FuaBXJgCi5lUf3mN' } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^Error: failed to list keys: cannot reach the KES server at https:\/\/127\.0\.0\.1:1: connection refused\..*\n$/);
    const missing = await execCli(['identity', 'of', 'nope.crt'], { cwd: dir });
    expect(missing).toEqual({ code: 1, stdout: '', stderr: "Error: cannot read 'nope.crt': no such file (expected an API key 'kes:v1:…', a certificate or a private key file)\n" });
    for (const r of [usage, unreachable, missing]) expect(r.stderr).not.toMatch(NO_STACK);
  });
});

describe('kes migrate, 1,000 keys fs → fs, killed midway and resumed', { timeout: 120_000 }, () => {
  it('copies the rest on the second run, skips what was copied, and verifies every value', async () => {
    const cwd = join(dir, 'migrate');
    mkdirSync(cwd);
    const from = writeFsConfig(cwd, 'a');
    const to = writeFsConfig(cwd, 'b');
    const keys = writeKeys(cwd, 'a', 1000);
    const copiedNames = () => readdirSync(join(cwd, 'b-keys')).filter((f) => !f.startsWith('.'));

    // Kill -9 as soon as the first progress line (50 of 1000) shows up.
    const first = spawnCli(['migrate', '--from', from, '--to', to, '--concurrency', '2'], {
      cwd,
      onStdout: (_chunk, all) => {
        if (/^Migrated \d+\/1000/m.test(all)) first.kill('SIGKILL');
      },
    });
    const killed = await first.done;
    expect(killed.code).toBe(137);
    const partial = copiedNames().length;
    expect(partial).toBeGreaterThanOrEqual(50);
    expect(partial).toBeLessThan(1000);

    const second = await execCli(['migrate', '--from', from, '--to', to, '--json'], { cwd });
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ total: 1000, processed: 1000, copied: 1000 - partial, identical: partial, conflict: 0, failed: 0, interrupted: false });
    expect(copiedNames().sort()).toEqual([...keys.keys()]);
    for (const [name, value] of keys) expect(readFileSync(join(cwd, 'b-keys', name), 'utf8')).toBe(value);

    const third = await execCli(['migrate', '--from', from, '--to', to], { cwd });
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/Processed 1000 of 1000 keys .*: 0 copied, 1000 already at the target\nDONE\n$/);
  });
});
