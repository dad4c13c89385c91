import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let dir: string;
let t: TestServer;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kes-cli-connect-'));
  const made = await runCli(['identity', 'new', '--key', 'client.key', '--cert', 'client.crt', '--encrypt', '--json', 'Client'], { cwd: dir, stdin: 'pa55word\n' });
  const { identity } = JSON.parse(made.stdout) as { identity: string };
  t = await startTestServer({ adminIdentity: identity });
  env = { KES_SERVER: t.endpoint, KES_CA_PATH: t.caFile, KES_CLIENT_CERT: 'client.crt', KES_CLIENT_KEY: 'client.key' };
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('client certificate with an encrypted private key', () => {
  it('uses KES_CLIENT_KEY_PASSWORD (or MINIO_KMS_KES_KEY_PASSWORD)', async () => {
    expect(readFileSync(join(dir, 'client.key'), 'utf8')).toContain('Proc-Type: 4,ENCRYPTED');
    expect(await runCli(['key', 'create', 'enc-1'], { cwd: dir, env: { ...env, KES_CLIENT_KEY_PASSWORD: 'pa55word' } })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await runCli(['key', 'info', 'enc-1'], { cwd: dir, env: { ...env, MINIO_KMS_KES_KEY_PASSWORD: 'pa55word' } })).code).toBe(0);
  });

  it('a wrong password: one line naming the key file and the variable, exit 1', async () => {
    const r = await runCli(['key', 'info', 'enc-1'], { cwd: dir, env: { ...env, KES_CLIENT_KEY_PASSWORD: 'wrong' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: cannot decrypt the private key in '.*client\.key': wrong password\? \(check KES_CLIENT_KEY_PASSWORD\)\n$/);
  });

  it('no password and no terminal to ask on: says how to give one', async () => {
    const r = await runCli(['key', 'info', 'enc-1'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error: the client private key 'client.key' is encrypted: set KES_CLIENT_KEY_PASSWORD, or run the command in a terminal to be asked for the password\n");
  });

  it('API key and certificate together, or a certificate without a key: the CLI configuration messages', async () => {
    const both = await runCli(['key', 'info', 'x'], { cwd: dir, env: { ...env, KES_API_KEY: t.admin.toString() } });
    expect(both.stderr).toBe('Error: API key and private key file cannot be used at the same time\n');
    const noKey = await runCli(['key', 'info', 'x'], { cwd: dir, env: { ...env, KES_CLIENT_KEY: '' } });
    expect(noKey.stderr).toBe('Error: no private key file specified. Consider setting MINIO_KES_KEY_FILE\n');
  });
});
