import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await t.keystore.create('alpha', new Uint8Array(0)).catch(() => undefined);
});
afterAll(() => t.close());

const TTY = { KES_FORCE_TTY: '1', NO_COLOR: '1' };
const kes = (argv: string[], env: Record<string, string> = {}) => runCli(argv, { env: { ...t.env, ...env } });
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;

describe('kes policy', () => {
  it('info: JSON and human', async () => {
    const json = JSON.parse((await kes(['policy', 'info', 'reader'])).stdout) as Record<string, string>;
    expect(json).toEqual({ name: 'reader', created_at: expect.stringMatching(STAMP), created_by: t.admin.identity });
    const human = (await kes(['policy', 'info', 'reader'], TTY)).stdout;
    expect(human).toBe(`Name        reader\nDate        ${json['created_at']!.slice(0, 19).replace('T', ' ')}\nCreated by  ${t.admin.identity}\n`);
  });

  it('ls: header on a terminal, bare names piped, JSON array with --json', async () => {
    expect((await kes(['policy', 'ls'], TTY)).stdout).toBe('Policy\nreader\n');
    expect((await kes(['policy', 'ls'])).stdout).toBe('reader\n');
    expect(JSON.parse((await kes(['policy', 'ls', 're*', '--json'])).stdout)).toEqual(['reader']);
    expect(JSON.parse((await kes(['policy', 'ls', 'x*', '--json'])).stdout)).toEqual([]);
  });

  it('show: allow/deny bullets on a terminal, map JSON otherwise', async () => {
    const json = JSON.parse((await kes(['policy', 'show', 'reader'])).stdout) as Record<string, unknown>;
    expect(json).toEqual({
      allow: { '/v1/key/describe/*': {}, '/v1/key/list/*': {}, '/v1/identity/self/describe': {} },
      created_at: expect.stringMatching(STAMP),
      created_by: t.admin.identity,
    });
    const human = (await kes(['policy', 'show', 'reader'], TTY)).stdout;
    expect(human).toMatch(/^Allow:\n {2}· \/v1\/identity\/self\/describe\n {2}· \/v1\/key\/describe\/\*\n {2}· \/v1\/key\/list\/\*\n\nCreated at {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\nCreated by {2}[0-9a-f]{64}\n$/);
  });

  it('errors: unknown policy, invalid name', async () => {
    expect(await kes(['policy', 'show', 'nope'])).toEqual({ code: 1, stdout: '', stderr: "Error: failed to show policy 'nope': policy does not exist\n" });
    expect((await kes(['policy', 'info', 'a.b'])).stderr).toMatch(/^Error: invalid policy name 'a\.b'/);
  });
});

describe('kes identity info / ls and kes ls', () => {
  it('identity info without argument describes the caller (admin, or a policy member with its rules)', async () => {
    expect(JSON.parse((await kes(['identity', 'info'])).stdout)).toEqual({ identity: t.admin.identity, admin: true, created_at: expect.stringMatching(STAMP) });
    const reader = JSON.parse((await kes(['identity', 'info'], { KES_API_KEY: t.reader.toString() })).stdout) as Record<string, unknown>;
    expect(reader).toMatchObject({ identity: t.reader.identity, admin: false, policy: 'reader', allow: expect.arrayContaining(['/v1/key/list/*']) });
    const human = (await kes(['identity', 'info'], { ...TTY, KES_API_KEY: t.reader.toString() })).stdout;
    expect(human).toContain(`Identity    ${t.reader.identity}\n`);
    expect(human).toMatch(/Role {8}User\n/);
    expect(human).toMatch(/\nPolicy {6}reader\nAllow\n {12}· /);
  });

  it('identity info <identity> and identity ls', async () => {
    const info = JSON.parse((await kes(['identity', 'info', t.reader.identity])).stdout) as Record<string, unknown>;
    expect(info).toEqual({ identity: t.reader.identity, admin: false, policy: 'reader', created_at: expect.stringMatching(STAMP), created_by: t.admin.identity });
    expect((await kes(['identity', 'info', t.reader.identity], TTY)).stdout).toMatch(new RegExp(`^Identity {4}${t.reader.identity}\nPolicy {6}reader\nCreated At  .+\nRole {8}User\nCreated By  ${t.admin.identity}\n$`));
    const missing = await kes(['identity', 'info', 'f'.repeat(64)]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`Error: failed to describe identity '${'f'.repeat(64)}': identity does not exist\n`);
    const all = JSON.parse((await kes(['identity', 'ls', '--json'])).stdout) as string[];
    expect(all).toEqual([t.admin.identity, t.reader.identity].sort());
    expect((await kes(['identity', 'ls', `${t.reader.identity.slice(0, 6)}*`], TTY)).stdout).toBe(`Identity\n${t.reader.identity}\n`);
  });

  it('kes ls lists keys, -i identities, -p policies; -s and -a override the environment', async () => {
    expect((await kes(['ls'], TTY)).stdout).toBe('Key\nalpha\n');
    expect(JSON.parse((await kes(['ls', '--json'])).stdout)).toEqual(['alpha']);
    expect((await kes(['ls', '-p'])).stdout).toBe('reader\n');
    expect((await kes(['ls', '-i', '--json'])).stdout).toBe(`${JSON.stringify([t.admin.identity, t.reader.identity].sort())}\n`);
    const overridden = await runCli(['ls', '-s', t.endpoint, '-a', t.reader.toString(), '--json'], { env: { KES_CA_PATH: t.caFile } });
    expect(overridden).toEqual({ code: 0, stdout: '["alpha"]\n', stderr: '' });
  });
});
