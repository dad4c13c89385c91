import { randomBytes } from 'node:crypto';
import { decodeStoredKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunOptions } from '../testing/run-cli.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const TTY = { KES_FORCE_TTY: '1', NO_COLOR: '1' };
const B64 = '[A-Za-z0-9+/]+={0,2}';
const kes = (argv: string[], env: Record<string, string> = {}, opts: RunOptions = {}) => runCli(argv, { ...opts, env: { ...t.env, ...env } });

describe('kes key', () => {
  it('create, info (JSON and human), ls, rm', async () => {
    expect(await kes(['key', 'create', 'k-1', 'k-2'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const info = JSON.parse((await kes(['key', 'info', 'k-1'])).stdout) as Record<string, string>;
    expect(info).toEqual({ name: 'k-1', created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), created_by: t.admin.identity });
    expect(JSON.parse((await kes(['key', 'info', 'k-1', '--json'], TTY)).stdout)).toEqual(info);
    const human = await kes(['key', 'info', 'k-1'], TTY);
    const date = info['created_at']!.slice(0, 19).replace('T', ' ');
    expect(human.stdout).toBe(`Name        k-1\nAlgorithm   AES256\nDate        ${date}\nOwner       ${t.admin.identity}\n`);

    expect(JSON.parse((await kes(['key', 'ls', '--json'])).stdout)).toEqual(['k-1', 'k-2']);
    expect((await kes(['key', 'ls'])).stdout).toBe('k-1\nk-2\n');
    expect((await kes(['key', 'ls', 'k-*'], TTY)).stdout).toBe('Key\nk-1\nk-2\n');
    expect((await kes(['key', 'ls', 'nothing*'], TTY)).stdout).toBe('');
    expect((await kes(['key', 'ls', 'k-1', '--color', 'always'], TTY)).stdout).toBe('\u001b[4mKey\u001b[24m\nk-1\n');

    expect((await kes(['key', 'rm', 'k-1', 'k-2'])).code).toBe(0);
    expect(JSON.parse((await kes(['key', 'ls', '--json'])).stdout)).toEqual([]);
  });

  it('import stores exactly the given key; info shows ChaCha20 only for ChaCha20 keys', async () => {
    const bytes = randomBytes(32);
    expect((await kes(['key', 'import', 'imported', bytes.toString('base64')])).code).toBe(0);
    expect(Buffer.from(decodeStoredKey(await t.keystore.get('imported')).key.bytes)).toEqual(bytes);
    expect(JSON.parse((await kes(['key', 'info', 'imported'])).stdout)).not.toHaveProperty('algorithm');
  });

  it('encrypt, decrypt and dek: tty forms with exact spacing, JSON otherwise; a context binds the ciphertext', async () => {
    await kes(['key', 'create', 'crypto']);
    const enc = await kes(['key', 'encrypt', 'crypto', 'Hello World'], TTY);
    expect(enc.stdout).toMatch(new RegExp(`^\\nciphertext: ${B64}\\n$`));
    const ciphertext = enc.stdout.trim().slice('ciphertext: '.length);
    expect(await kes(['key', 'decrypt', 'crypto', ciphertext])).toEqual({
      code: 0,
      stdout: `{"plaintext":"${Buffer.from('Hello World').toString('base64')}"}\n`,
      stderr: '',
    });
    expect((await kes(['key', 'decrypt', 'crypto', ciphertext], TTY)).stdout).toBe(`\nplaintext: ${Buffer.from('Hello World').toString('base64')}\n`);
    const piped = JSON.parse((await kes(['key', 'encrypt', 'crypto', 'x'])).stdout) as { ciphertext: string };
    expect(Object.keys(piped)).toEqual(['ciphertext']);

    const dek = await kes(['key', 'dek', 'crypto'], TTY);
    expect(dek.stdout).toMatch(new RegExp(`^\\nplaintext:  ${B64}\\nciphertext: ${B64}\\n$`));
    const context = Buffer.from('bucket/object').toString('base64');
    const dekJson = JSON.parse((await kes(['key', 'dek', 'crypto', context])).stdout) as { plaintext: string; ciphertext: string };
    expect(Buffer.from(dekJson.plaintext, 'base64')).toHaveLength(32);
    const back = JSON.parse((await kes(['key', 'decrypt', 'crypto', dekJson.ciphertext, context])).stdout) as { plaintext: string };
    expect(back.plaintext).toBe(dekJson.plaintext);
    const noContext = await kes(['key', 'decrypt', 'crypto', dekJson.ciphertext]);
    expect(noContext.code).toBe(1);
    expect(noContext.stderr).toBe('Error: failed to decrypt ciphertext: decryption failed: ciphertext is not authentic\n');
  });
});

describe('kes key: bad input gives one line on stderr and exit 1', () => {
  const one = async (argv: string[], message: string | RegExp, env: Record<string, string> = {}) => {
    const r = await kes(argv, env);
    expect({ argv, code: r.code, stdout: r.stdout }).toEqual({ argv, code: 1, stdout: '' });
    if (typeof message === 'string') expect(r.stderr).toBe(`Error: ${message}\n`);
    else expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n {4}at /);
  };

  it('names, base64, sizes, existing and missing keys', async () => {
    await kes(['key', 'create', 'dup']);
    const rule = "use 1-80 characters from A-Z a-z 0-9 '_' '-', not starting or ending with '-'";
    await one(['key', 'create', 'bad/name'], `invalid key name 'bad/name': ${rule}`);
    await one(['key', 'info', 'x-'], `invalid key name 'x-': ${rule}`);
    await one(['key', 'ls', 'a*b'], /^Error: invalid pattern 'a\*b': /);
    await one(['key', 'create', 'dup'], "failed to create key 'dup': key does already exist");
    await one(['key', 'info', 'missing'], "failed to describe key 'missing': key does not exist");
    await one(['key', 'rm', 'missing'], "failed to remove key 'missing': key does not exist");
    await one(['key', 'import', 'i', 'not base64!'], "invalid key: not valid base64 (standard alphabet with '=' padding)");
    await one(['key', 'import', 'i', Buffer.alloc(16).toString('base64')], 'invalid key: it is 16 bytes long, but a key must be 32 bytes');
    await one(['key', 'decrypt', 'dup', 'AAAA', '%%'], "invalid context: not valid base64 (standard alphabet with '=' padding)");
    await one(['key', 'decrypt', 'dup', 'AAAA'], 'failed to decrypt ciphertext: decryption failed: ciphertext is not authentic');
  });

  it('permissions, credentials, unreachable and untrusted servers', async () => {
    await one(['key', 'create', 'nope'], /^Error: failed to create key 'nope': prohibited by policy \(the identity of this client is not allowed/, {
      KES_API_KEY: t.reader.toString(),
    });
    await one(['key', 'info', 'x'], 'no API key specified. Consider setting MINIO_KES_API_KEY', { KES_API_KEY: '' });
    await one(['key', 'info', 'x'], /^Error: invalid API key: kes: invalid API key: /, { KES_API_KEY: 'kes:v1:AAAA' });
    await one(['key', 'info', 'x'], /^Error: failed to describe key 'x': cannot reach the KES server at https:\/\/127\.0\.0\.1:1: connection refused\. Check that the server is running/, {
      KES_SERVER: '127.0.0.1:1',
    });
    await one(['key', 'info', 'x'], /^Error: failed to describe key 'x': the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(.*\): trust the server's CA certificate with --ca <file> \(or KES_CA_PATH\), or skip verification with --insecure \(-k\)\n$/, {
      KES_CA_PATH: '',
    });
    await one(['key', 'info', 'x'], /^Error: cannot read CA file '.*missing\.pem': no such file or directory/, { KES_CA_PATH: 'missing.pem' });
    await one(['key', 'info', 'x'], /^Error: cannot read certificate file '.*nope\.crt': no such file/, {
      KES_API_KEY: '',
      KES_CLIENT_CERT: 'nope.crt',
      KES_CLIENT_KEY: 'nope.key',
    });
  });

  it('-k/--insecure skips verification; --ca trusts the server certificate', async () => {
    await kes(['key', 'create', 'trusted']);
    expect((await kes(['key', 'info', 'trusted', '-k'], { KES_CA_PATH: '' })).code).toBe(0);
    expect((await kes(['key', 'info', 'trusted', '--ca', t.caFile], { KES_CA_PATH: '' })).code).toBe(0);
  });
});
