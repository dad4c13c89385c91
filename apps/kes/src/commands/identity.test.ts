import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKey, identityOfCertificate } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kes-cli-identity-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TTY = { KES_FORCE_TTY: '1', NO_COLOR: '1' };
const HEX64 = /^[0-9a-f]{64}$/;

function fresh(name: string): string {
  const d = join(dir, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d);
  return d;
}

describe('kes identity (bare forms)', () => {
  it('without arguments prints a new API key: only the key when piped, key + identity on a terminal', async () => {
    const piped = await runCli(['identity']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^kes:v1:[A-Za-z0-9+/]{44}$/);
    const key = ApiKey.parse(piped.stdout);
    expect(key.toString()).toBe(piped.stdout);

    const tty = await runCli(['identity'], { env: TTY });
    const [, apiKey, identity] = /API key: +(\S+)\n +Identity: +(\S+)/.exec(tty.stdout) ?? [];
    expect(ApiKey.parse(apiKey!).identity).toBe(identity);

    const json = JSON.parse((await runCli(['identity', '--json'])).stdout) as { api_key: string; identity: string };
    expect(ApiKey.parse(json.api_key).identity).toBe(json.identity);
  });

  it('an API key argument prints its identity (bare hex without newline when piped)', async () => {
    const key = ApiKey.generate();
    expect((await runCli(['identity', key.toString()])).stdout).toBe(key.identity);
    expect((await runCli(['identity', 'of', key.toString()])).stdout).toBe(key.identity);
    expect((await runCli(['identity', 'of', key.toString()], { env: TTY })).stdout).toBe(`\n  Identity:  ${key.identity}\n`);
  });

  it('an Ed25519 private key file converts to the equivalent API key; a certificate file gives its identity', async () => {
    const d = fresh('convert');
    const created = await runCli(['identity', 'new', '--key', 'k.pem', '--cert', 'c.pem', 'conv'], { cwd: d });
    expect(created.code).toBe(0);
    const converted = await runCli(['identity', 'k.pem'], { cwd: d });
    const apiKey = ApiKey.parse(converted.stdout);
    const certIdentity = (await runCli(['identity', 'c.pem'], { cwd: d })).stdout;
    expect(apiKey.identity).toBe(certIdentity);
    const pkcs8 = createPrivateKey(readFileSync(join(d, 'k.pem'))).export({ format: 'der', type: 'pkcs8' });
    expect(Buffer.from(apiKey.toString().slice(7), 'base64').subarray(1)).toEqual(pkcs8.subarray(16));
  });

  it('rejects non-Ed25519 keys, garbage files, missing files and bad API keys with one line and exit 1', async () => {
    const d = fresh('bad');
    writeFileSync(join(d, 'ec.pem'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(join(d, 'junk.txt'), 'hello');
    const cases: Array<[string[], RegExp]> = [
      [['identity', 'ec.pem'], /^Error: 'ec\.pem' holds a ec private key: only Ed25519 keys have an API key form\n$/],
      [['identity', 'junk.txt'], /^Error: 'junk\.txt' contains no PEM certificate or private key\n$/],
      [['identity', 'missing.crt'], /^Error: cannot read 'missing\.crt': no such file/],
      [['identity', 'of', 'missing.crt'], /^Error: cannot read 'missing\.crt': no such file/],
      [['identity', 'kes:v1:AAAA'], /^Error: 'kes:v1:AAAA…' is not a valid API key: kes: invalid API key: invalid length\n$/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { cwd: d });
      expect({ argv, code: r.code }).toEqual({ argv, code: 1 });
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('kes identity new', () => {
  it('without subject or file options prints an API key and its identity and writes nothing', async () => {
    const d = fresh('apikey');
    const r = await runCli(['identity', 'new', '--json'], { cwd: d });
    const json = JSON.parse(r.stdout) as { api_key: string; identity: string };
    expect(ApiKey.parse(json.api_key).identity).toBe(json.identity);
    expect(readdirSync(d)).toEqual([]);
    const text = await runCli(['identity', 'new'], { cwd: d });
    expect(text.stdout).toMatch(/API key: +kes:v1:\S+\n +Identity: +[0-9a-f]{64}\n/);
  });

  it('the tutorial: --ip 127.0.0.1 localhost writes private.key and public.crt (Ed25519, 720h, server+client)', async () => {
    const d = fresh('tutorial');
    const r = await runCli(['identity', 'new', '--ip', '127.0.0.1', 'localhost'], { cwd: d, env: TTY });
    expect(r.code).toBe(0);
    const identity = /Identity: +([0-9a-f]{64})/.exec(r.stdout)?.[1];
    expect(r.stdout).toBe(`\n  Private key:  private.key\n  Certificate:  public.crt\n  Identity:     ${identity}\n`);
    const cert = new X509Certificate(readFileSync(join(d, 'public.crt')));
    expect(identityOfCertificate(cert.raw)).toBe(identity);
    expect(cert.subject).toBe('CN=localhost');
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1');
    expect(cert.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(join(d, 'private.key'))))).toBe(true);
    expect(statSync(join(d, 'private.key')).mode & 0o777).toBe(0o600);
    expect((await runCli(['identity', 'of', 'public.crt'], { cwd: d })).stdout).toBe(identity);
  });

  it('--key/--cert MyApp, --dns, --expiry, --json; refuses to overwrite without --force', async () => {
    const d = fresh('myapp');
    const r = await runCli(['identity', 'new', '--key=client.key', '--cert=client.crt', '--dns', 'a.example,b.example', '--ip', '::1', '--expiry', '8760h', '--json', 'MyApp'], { cwd: d });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { private_key: string; certificate: string; identity: string };
    expect(json).toEqual({ private_key: 'client.key', certificate: 'client.crt', identity: expect.stringMatching(HEX64) });
    const cert = new X509Certificate(readFileSync(join(d, 'client.crt')));
    expect(cert.subject).toBe('CN=MyApp');
    expect(cert.subjectAltName).toBe('DNS:a.example, DNS:b.example, IP Address:0:0:0:0:0:0:0:1');
    expect(Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000)).toBe(365);
    expect((await runCli(['identity', 'of', 'client.crt'], { cwd: d })).stdout).toBe(json.identity);

    const again = await runCli(['identity', 'new', '--key=client.key', '--cert=client.crt', 'MyApp'], { cwd: d });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("Error: private key 'client.key' already exists: use --force to overwrite it\n");
    const forced = await runCli(['identity', 'new', '--key=client.key', '--cert=client.crt', '-f', '--json', 'MyApp'], { cwd: d });
    expect(forced.code).toBe(0);
    expect((JSON.parse(forced.stdout) as { identity: string }).identity).not.toBe(json.identity);
  });

  it('--encrypt protects the key with a password (read from standard input); the right password converts it back', async () => {
    const d = fresh('encrypt');
    const r = await runCli(['identity', 'new', '--key', 'enc.key', '--cert', 'enc.crt', '--encrypt', '--json', 'Enc'], { cwd: d, stdin: 's3cret\n' });
    expect(r.code).toBe(0);
    const pem = readFileSync(join(d, 'enc.key'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,[0-9A-F]{32}\n\n/);
    expect(() => createPrivateKey(pem)).toThrow();
    const { identity } = JSON.parse(r.stdout) as { identity: string };
    const converted = await runCli(['identity', 'enc.key'], { cwd: d, stdin: 's3cret\n' });
    expect(ApiKey.parse(converted.stdout).identity).toBe(identity);
    const wrong = await runCli(['identity', 'enc.key'], { cwd: d, stdin: 'nope\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe("Error: cannot decrypt the private key 'enc.key': wrong password?\n");
    const none = await runCli(['identity', 'new', '--key', 'x.key', '--cert', 'x.crt', '--encrypt', 'X'], { cwd: d, stdin: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^Error: no password given/);
  });

  it('rejects an invalid --ip with exit 2 and writes nothing', async () => {
    const d = fresh('badip');
    const r = await runCli(['identity', 'new', '--ip', '300.1.1.1', 'x'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("Error: cannot create the certificate: invalid IP address '300.1.1.1'. See 'kes identity new --help'\n");
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('kes identity of', () => {
  it('several sources: "name: identity" lines on a terminal, ndjson otherwise', async () => {
    const a = ApiKey.generate();
    const b = ApiKey.generate();
    const tty = await runCli(['identity', 'of', a.toString(), b.toString()], { env: TTY });
    expect(tty.stdout).toBe(`${a.toString()}: ${a.identity}\n${b.toString()}: ${b.identity}\n`);
    const piped = await runCli(['identity', 'of', a.toString(), b.toString()]);
    expect(piped.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { name: a.toString(), identity: a.identity },
      { name: b.toString(), identity: b.identity },
    ]);
  });
});
