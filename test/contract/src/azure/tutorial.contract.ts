/**
 * docs/azure-keyvault.md, followed step by step against the emulator (section 8) with the real `kes` CLI
 * (apps/kes/bin/kes.js) and the real server app (apps/kes-server, run like `nx serve kes-server`): identities and
 * TLS files (step 4), the configuration (steps 3 and 8), the server start, creating a key, a data key and its
 * decryption (step 5), and the calls MinIO makes with the step 6 environment.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Emulator } from '@kes/azure-keyvault-emulator';
import { clientConfigFromEnv, isKeyExists, KesClient } from '@kes/client';
import { decodeStoredKey } from '@kes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient, startAzureEmulator } from './azure-fixture.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const KES_CLI = join(ROOT, 'apps', 'kes', 'bin', 'kes.js');
const SERVER_MAIN = join(ROOT, 'apps', 'kes-server', 'src', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const run = promisify(execFile);

let emu: Emulator;
let dir: string;
let server: ChildProcess | undefined;
/** Environment without the caller's KES/MinIO/Azure variables, so that only what the tutorial sets counts. */
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(KES_|MINIO_|AZURE_)/.test(k)));

/** Runs the `kes` CLI in the tutorial directory. */
async function kes(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [KES_CLI, ...args], { cwd: dir, env: { ...baseEnv, ...env }, timeout: 60_000 });
  return stdout;
}

beforeAll(async () => {
  emu = await startAzureEmulator();
  dir = await mkdtemp(join(tmpdir(), 'kes-azure-tutorial-'));
  await writeFile(join(dir, 'emulator-ca.pem'), emu.caPem);
}, 60_000);
afterAll(async () => {
  server?.kill('SIGKILL');
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the Azure Key Vault tutorial against the emulator', () => {
  let apiKey = '';
  let port = 0;

  it('step 4: creates the server certificate and an API key for MinIO with the CLI', async () => {
    await kes(['identity', 'new', '--ip', '127.0.0.1', 'localhost', '--key', 'server.key', '--cert', 'server.cert']);
    const minio = JSON.parse(await kes(['identity', 'new', '--json'])) as { api_key: string; identity: string };
    expect(minio.api_key).toMatch(/^kes:v1:/);
    apiKey = minio.api_key;
    // Steps 3 and 8: the complete configuration with the emulator's keystore block.
    await writeFile(
      join(dir, 'server-config.yaml'),
      `address: 127.0.0.1:0
admin:
  identity: disabled
tls:
  key:  ./server.key
  cert: ./server.cert
policy:
  minio:
    allow:
      - /v1/key/create/*
      - /v1/key/generate/*
      - /v1/key/decrypt/*
      - /v1/key/list/*
      - /v1/status
    identities:
      - \${MINIO_IDENTITY}
keystore:
  azure:
    keyvault:
      endpoint: ${emu.vaultUrl}
      credentials:
        tenant_id:     ${emu.tenantId}
        client_id:     ${emu.clientId}
        client_secret: \${AZURE_CLIENT_SECRET}
      authority_host: ${emu.authorityHost}
      ca_file: emulator-ca.pem
      disable_challenge_resource_verification: true
`,
    );
    // Step 4: start the server like `npx nx serve kes-server --args="--config=server-config.yaml"`.
    const proc = spawn(process.execPath, ['--import', TSX, '--conditions=@kes/source', SERVER_MAIN, '--config', 'server-config.yaml'], {
      cwd: dir,
      env: { ...baseEnv, MINIO_IDENTITY: minio.identity, AZURE_CLIENT_SECRET: emu.clientSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = proc;
    const out = { stdout: '', stderr: '' };
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 60 s\n${out.stdout}\n${out.stderr}`)), 60_000);
      proc.once('exit', (code) => reject(new Error(`the server exited with ${code}\n${out.stdout}\n${out.stderr}`)));
      proc.stdout!.on('data', () => {
        const m = /^API\s+· https:\/\/127\.0\.0\.1:(\d+)$/m.exec(out.stdout);
        if (m && out.stdout.includes('=> Server is up and running')) (clearTimeout(timer), resolve(Number(m[1])));
      });
    });
    expect(out.stdout).toMatch(new RegExp(`^KMS\\s+Azure Key Vault: ${emu.vaultUrl}$`, 'm'));
    expect(out.stdout).not.toContain(emu.clientSecret);
    expect(out.stderr).toContain('challenge resource verification is disabled');
  }, 120_000);

  it('step 5: creates a key and a data key with the CLI; the vault holds the stored key under the key name', async () => {
    const env = { KES_SERVER: `https://127.0.0.1:${port}`, KES_API_KEY: apiKey };
    await kes(['key', 'create', 'minio-default-key', '-k'], env);
    const dek = JSON.parse(await kes(['key', 'dek', 'minio-default-key', '-k', '--json'], env)) as { plaintext: string; ciphertext: string };
    expect(Buffer.from(dek.plaintext, 'base64')).toHaveLength(32);
    const decrypted = await kes(['key', 'decrypt', 'minio-default-key', dek.ciphertext, '-k', '--json'], env);
    expect(decrypted).toContain(dek.plaintext);
    expect(JSON.parse(await kes(['ls', '-k', '--json'], env))).toEqual(['minio-default-key']);
    const secret = await sdkClient(emu).getSecret('minio-default-key');
    expect(decodeStoredKey(new TextEncoder().encode(secret.value)).key.type).toBe('AES256');
  }, 120_000);

  it('step 6: MinIO with MINIO_KMS_KES_* creates its default key if needed, generates and decrypts object keys', async () => {
    const env = {
      MINIO_KMS_KES_ENDPOINT: `https://127.0.0.1:${port}`,
      MINIO_KMS_KES_API_KEY: apiKey,
      MINIO_KMS_KES_KEY_NAME: 'minio-default-key',
      MINIO_KMS_KES_CAPATH: join(dir, 'server.cert'),
    };
    const minio = await KesClient.create({ ...clientConfigFromEnv(env), caFile: env.MINIO_KMS_KES_CAPATH });
    try {
      await minio.status();
      await minio.createKey(env.MINIO_KMS_KES_KEY_NAME).catch((err: unknown) => {
        if (!isKeyExists(err)) throw err;
      });
      const context = new TextEncoder().encode('{"aws:s3:arn":"arn:aws:s3:::bucket/object.bin"}');
      const objectKey = await minio.generateKey(env.MINIO_KMS_KES_KEY_NAME, context);
      expect(await minio.decrypt(env.MINIO_KMS_KES_KEY_NAME, objectKey.ciphertext, context)).toEqual(objectKey.plaintext);
    } finally {
      await minio.close();
    }
    server!.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => server!.once('exit', resolve));
    expect(code).toBe(0);
    server = undefined;
  }, 120_000);
});
