import { CreateSecretCommand, DeleteSecretCommand, GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { clientFor, emulatorWithClient, rejection } from './test/sdk-helpers.js';

describe('emulator fault knobs, seen through the real SDK', () => {
  it('throttling (400 ThrottlingException) and 500s are retried by the SDK with the same idempotency token', async () => {
    const { emu, client } = await emulatorWithClient();
    emu.knobs.throttleNext = 1;
    emu.knobs.failNext = 1;
    const out = await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v' }));
    expect(out.$metadata.attempts).toBe(3);
    const log = emu.requests();
    expect(log.map((r) => [r.status, r.errorCode ?? '', r.attempt])).toEqual([
      [400, 'ThrottlingException', 'attempt=1; max=3'],
      [500, 'InternalServiceError', 'attempt=2; max=3'],
      [200, '', 'attempt=3; max=3'],
    ]);
    const tokens = new Set(log.map((r) => r.input?.['ClientRequestToken']));
    expect(tokens.size).toBe(1);
    expect(log.every((r) => r.input?.['SecretString'] === '[redacted]')).toBe(true);
    emu.knobs.failNext = 5;
    const failed = await rejection(client.send(new GetSecretValueCommand({ SecretId: 'k' })));
    expect(failed).toMatchObject({ name: 'InternalServiceError', $fault: 'server' });
    expect(failed.$metadata).toMatchObject({ httpStatusCode: 500, attempts: 3 });
    expect(emu.knobs.failNext).toBe(2);
  });

  it('a lost response makes the SDK retry a create that already happened: ResourceExistsException with our version', async () => {
    const { emu, client } = await emulatorWithClient();
    emu.knobs.lostResponses = 1;
    const token = 'abcdefabcdefabcdefabcdefabcdefab';
    const err = await rejection(client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v', ClientRequestToken: token })));
    expect(err.name).toBe('ResourceExistsException');
    expect(err.$metadata?.attempts).toBe(2);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'k' }))).VersionId).toBe(token);
    expect(emu.requests().map((r) => r.status)).toEqual([0, 400, 200]);
  });

  it('forceDeleteDelayMs keeps a force-deleted name blocked for a while, like AWS deleting asynchronously', async () => {
    const { emu, client } = await emulatorWithClient({ knobs: { forceDeleteDelayMs: 300 } });
    await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v' }));
    await client.send(new DeleteSecretCommand({ SecretId: 'k', ForceDeleteWithoutRecovery: true }));
    expect(emu.secretNames()).toEqual([]);
    expect(emu.secretNames({ includeDeleting: true })).toEqual(['k']);
    expect((await rejection(client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v2' })))).name).toBe('InvalidRequestException');
    expect((await rejection(client.send(new GetSecretValueCommand({ SecretId: 'k' })))).name).toBe('InvalidRequestException');
    await new Promise((r) => setTimeout(r, 350));
    await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v2' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'k' }))).SecretString).toBe('v2');
  });

  it('outages: refused and reset fail at the transport level (no $fault); hang until the client gives up; recovery', async () => {
    const { emu } = await emulatorWithClient();
    const client = clientFor(emu, { maxAttempts: 1 });
    await emu.setOutage('refused');
    expect(await rejection(client.send(new ListSecretsCommand({})))).toMatchObject({ code: 'ECONNREFUSED' });
    await emu.setOutage('reset');
    const reset = await rejection(client.send(new ListSecretsCommand({})));
    expect(reset.$fault).toBeUndefined();
    expect((reset as { code?: string }).code).toMatch(/ECONNRESET|EPIPE/);
    await emu.setOutage('hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    expect((await rejection(client.send(new ListSecretsCommand({}), { abortSignal: controller.signal }))).name).toBe('AbortError');
    await emu.setOutage('none');
    expect((await client.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
  });

  it('latency delays every answer', async () => {
    const { emu, client } = await emulatorWithClient({ knobs: { latencyMs: 150 } });
    const started = Date.now();
    await client.send(new ListSecretsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emu.knobs.latencyMs = 0;
  });

  it('denied operations and disabled KMS keys give AccessDeniedException, EncryptionFailure, DecryptionFailure', async () => {
    const { emu, client } = await emulatorWithClient({ knobs: { deniedOperations: ['ListSecrets'] } });
    expect((await rejection(client.send(new ListSecretsCommand({})))).message).toMatch(/not authorized to perform: secretsmanager:ListSecrets/);
    await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v', KmsKeyId: 'alias/k1' }));
    emu.knobs.disabledKmsKeys = ['alias/k1'];
    expect((await rejection(client.send(new GetSecretValueCommand({ SecretId: 'k' })))).name).toBe('DecryptionFailure');
    expect((await rejection(client.send(new CreateSecretCommand({ Name: 'j', SecretString: 'v', KmsKeyId: 'alias/k1' })))).name).toBe('EncryptionFailure');
  });

  it('rejects wrong credentials; a skewed server clock is corrected by the SDK from the Date header', async () => {
    const { emu, client } = await emulatorWithClient();
    const wrong = clientFor(emu, { secretAccessKey: 'wrong' });
    expect((await rejection(wrong.send(new ListSecretsCommand({})))).name).toBe('InvalidSignatureException');
    emu.knobs.clockSkewMs = 60 * 60_000;
    const out = await client.send(new ListSecretsCommand({}));
    expect(out.$metadata.attempts).toBe(2);
    expect(emu.requests().at(-2)).toMatchObject({ errorCode: 'InvalidSignatureException' });
  });

  it('accepts session credentials only with their token', async () => {
    const creds = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };
    const { emu } = await emulatorWithClient({ credentials: creds });
    expect(emu.credentials).toEqual(creds);
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const withToken = new SecretsManagerClient({ endpoint: emu.endpoint, region: emu.region, credentials: creds });
    const withoutToken = new SecretsManagerClient({ endpoint: emu.endpoint, region: emu.region, credentials: { ...creds, sessionToken: undefined } });
    try {
      expect((await withToken.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
      expect((await rejection(withoutToken.send(new ListSecretsCommand({})))).name).toBe('UnrecognizedClientException');
    } finally {
      withToken.destroy();
      withoutToken.destroy();
    }
  });
});
