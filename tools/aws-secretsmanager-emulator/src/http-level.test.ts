import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { emulatorWithClient } from './test/sdk-helpers.js';

async function post(endpoint: string, target: string | undefined, body: string, contentType = 'application/x-amz-json-1.1') {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(target !== undefined ? { 'x-amz-target': target } : {}) },
    body,
  });
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), requestId: res.headers.get('x-amzn-requestid'), body: (await res.json()) as Record<string, unknown> };
}

describe('the emulator at the HTTP level', () => {
  it('answers unsigned requests with MissingAuthenticationTokenException when verification is on', async () => {
    const { emu } = await emulatorWithClient();
    const res = await post(emu.endpoint, 'secretsmanager.ListSecrets', '{}');
    expect(res).toMatchObject({ status: 400, errorType: 'MissingAuthenticationTokenException', body: { __type: 'MissingAuthenticationTokenException' } });
    expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses malformed bodies, unknown targets, wrong content types and oversized bodies with AWS error shapes', async () => {
    const { emu } = await emulatorWithClient({ verifySignatures: false });
    const cases: Array<[string | undefined, string, string, string]> = [
      ['secretsmanager.ListSecrets', '{', 'application/x-amz-json-1.1', 'SerializationException'],
      ['secretsmanager.ListSecrets', '[1]', 'application/x-amz-json-1.1', 'SerializationException'],
      ['secretsmanager.GetSecretValue', '{"SecretId":5}', 'application/x-amz-json-1.1', 'SerializationException'],
      ['secretsmanager.GetSecretValue', '{}', 'application/x-amz-json-1.1', 'ValidationException'],
      ['secretsmanager.CreateSecret', '{"Name":"k","SecretBinary":"not base64!"}', 'application/x-amz-json-1.1', 'SerializationException'],
      ['secretsmanager.CreateSecret', '{"Name":"k","ClientRequestToken":"short"}', 'application/x-amz-json-1.1', 'ValidationException'],
      ['secretsmanager.PutSecretValue', '{}', 'application/x-amz-json-1.1', 'UnknownOperationException'],
      [undefined, '{}', 'application/x-amz-json-1.1', 'UnknownOperationException'],
      ['secretsmanager.ListSecrets', '{}', 'text/plain', 'SerializationException'],
      ['secretsmanager.CreateSecret', JSON.stringify({ Name: 'k', SecretString: 'x'.repeat(1 << 20) }), 'application/x-amz-json-1.1', 'SerializationException'],
    ];
    for (const [target, body, contentType, code] of cases) {
      const res = await post(emu.endpoint, target, body, contentType);
      expect([res.status, res.errorType, res.body['__type']], `${target} ${body.slice(0, 40)}`).toEqual([400, code, code]);
    }
    expect(emu.secretNames({ includeDeleting: true })).toEqual([]);
    const ok = await post(emu.endpoint, 'secretsmanager.ListSecrets', '');
    expect(ok).toMatchObject({ status: 200, body: { SecretList: [] } });
  });

  it('serves HTTPS with a given certificate; the SDK connects with the CA in its https agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-emu-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const cert = readFileSync(join(dir, 'cert.pem'));
      const { emu } = await emulatorWithClient({ tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
      expect(emu.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const client = new SecretsManagerClient({
        endpoint: emu.endpoint,
        region: emu.region,
        credentials: emu.credentials,
        requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: cert }) }),
      });
      try {
        expect((await client.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
      } finally {
        client.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reset() drops secrets, restores knobs and ends an outage; stop() is idempotent', async () => {
    const { emu, client } = await emulatorWithClient({ knobs: { pageSize: 7 } });
    await client.send(new ListSecretsCommand({}));
    emu.knobs.pageSize = 1;
    emu.knobs.deniedOperations.push('ListSecrets');
    await emu.setOutage('reset');
    await emu.reset();
    expect(emu.knobs.pageSize).toBe(7);
    expect(emu.knobs.deniedOperations).toEqual([]);
    expect(emu.outage).toBe('none');
    expect(emu.requests()).toEqual([]);
    expect((await client.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    await emu.stop();
    await emu.stop();
    await expect(emu.setOutage('hang')).rejects.toThrow(/stopped/);
  });
});
