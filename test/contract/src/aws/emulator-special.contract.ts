import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RestoreSecretCommand } from '@aws-sdk/client-secrets-manager';
import { decodeStoredKey, encodeStoredKey, newStoredKey, type KesError } from '@kes/core';
import { keystoreDefinition, type AwsSecretsManagerKeystore } from '@kes/keystore-aws-secretsmanager';
import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { adminClient, emulatorKeystore, startEmulator } from './aws-fixture.js';

const emu = await startEmulator();
const admin = adminClient(emu);
const opened: AwsSecretsManagerKeystore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((k) => k.close()));
  await emu.reset();
});
afterAll(async () => {
  admin.destroy();
  await emu.stop();
});

const keystore = (options: Parameters<typeof emulatorKeystore>[1] = {}) => {
  const ks = emulatorKeystore(emu, options);
  opened.push(ks);
  return ks;
};
const utf8 = (s: string) => new TextEncoder().encode(s);
const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: unknown) => e as KesError);
const timed = async <T>(p: Promise<T>): Promise<[T, number]> => {
  const started = Date.now();
  const value = await p;
  return [value, Date.now() - started];
};

describe('aws.secretsmanager special cases (emulator): deletion', () => {
  it('a secret scheduled for deletion (recovery window) reads as absent, is not listed, and blocks create with a clear error', async () => {
    const ks = keystore({ pendingDeletion: { retries: 3, initialDelayMs: 20, maxDelayMs: 50 } });
    await ks.create('my-key', utf8('original'));
    await admin.send(new DeleteSecretCommand({ SecretId: 'my-key', RecoveryWindowInDays: 7 }));
    await expectKesError(ks.get('my-key'), 'KEY_NOT_FOUND');
    expect(await ks.list('', 0)).toEqual({ names: [], continueAt: '' });
    const [err, ms] = await timed(failure(ks.create('my-key', utf8('new'))));
    expect(err.code).toBe('CREATE_KEY_FAILED');
    expect((err.cause as Error).message).toMatch(/^aws: cannot create 'my-key': a secret with this name is still scheduled for deletion after 4 attempts/);
    expect((err.cause as Error).message).toContain('restore-secret');
    expect(ms).toBeLessThan(2_000);
    expect(emu.requests().filter((r) => r.operation === 'CreateSecret').map((r) => r.errorCode ?? 'ok')).toEqual(['ok', ...Array(4).fill('InvalidRequestException')]);
    await admin.send(new RestoreSecretCommand({ SecretId: 'my-key' }));
    expect(new TextDecoder().decode(await ks.get('my-key'))).toBe('original');
  });

  it('create right after delete rides out the asynchronous force-delete window with backoff', async () => {
    emu.knobs.forceDeleteDelayMs = 700;
    const ks = keystore();
    await ks.create('my-key', utf8('old'));
    await ks.delete('my-key');
    await expectKesError(ks.get('my-key'), 'KEY_NOT_FOUND');
    const [, ms] = await timed(ks.create('my-key', utf8('new')));
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(new TextDecoder().decode(await ks.get('my-key'))).toBe('new');
    const creates = emu.requests().filter((r) => r.operation === 'CreateSecret');
    expect(creates.at(-1)?.status).toBe(200);
    expect(creates.slice(1, -1).every((r) => r.errorCode === 'InvalidRequestException')).toBe(true);
    expect(creates.length).toBeGreaterThan(2);
  });

  it('gives up on a force-delete window longer than its budget, well inside the operation deadline', async () => {
    emu.knobs.forceDeleteDelayMs = 60_000;
    const ks = keystore({ operationTimeoutMs: 3_000 });
    await ks.create('my-key', utf8('old'));
    await ks.delete('my-key');
    const [err, ms] = await timed(failure(ks.create('my-key', utf8('new'))));
    expect(err.code).toBe('CREATE_KEY_FAILED');
    expect(ms).toBeLessThan(3_000);
  });

  it('deleting a missing key resolves (AWS reports no error for forced deletes), and deletes without a recovery window', async () => {
    const ks = keystore();
    await ks.delete('never-existed');
    await ks.create('my-key', utf8('v'));
    await ks.delete('my-key');
    expect(emu.secretNames({ includeDeleting: true })).toEqual([]);
    expect(emu.requests().filter((r) => r.operation === 'DeleteSecret').map((r) => r.input?.['ForceDeleteWithoutRecovery'])).toEqual([true, true]);
  });
});

describe('aws.secretsmanager special cases (emulator): faults', () => {
  it('throttling is retried by the SDK; persistent throttling is an operation failure, not an outage', { timeout: 20_000 }, async () => {
    const ks = keystore();
    emu.knobs.throttleNext = 2;
    await ks.create('my-key', utf8('v'));
    emu.knobs.throttleNext = 100;
    const err = await failure(ks.get('my-key'));
    expect(err.code).toBe('READ_KEY_FAILED');
    expect((err.cause as Error).message).toBe("aws: failed to read 'my-key': ThrottlingException: Rate exceeded (HTTP 400)");
  });

  it('a lost CreateSecret response does not turn our own create into KEY_EXISTS', async () => {
    const ks = keystore();
    emu.knobs.lostResponses = 1;
    await ks.create('my-key', utf8('v'));
    expect(emu.requests().map((r) => [r.operation, r.status])).toEqual([
      ['CreateSecret', 0],
      ['CreateSecret', 400],
      ['GetSecretValue', 200],
    ]);
    await expectKesError(ks.create('my-key', utf8('v')), 'KEY_EXISTS');
  });

  it('an outage is KEYSTORE_UNREACHABLE for every call and for status; the keystore recovers with the service', async () => {
    const ks = keystore({ operationTimeoutMs: 1_500, statusTimeoutMs: 500 });
    await ks.create('my-key', utf8('v'));
    for (const mode of ['refused', 'reset', 'hang'] as const) {
      await emu.setOutage(mode);
      const calls = [() => ks.get('my-key'), () => ks.create('other', utf8('v')), () => ks.delete('my-key'), () => ks.list('', 0), () => ks.status()];
      for (const call of calls) {
        const err = await failure(call());
        expect(err.code, `${mode}: ${err.message}`).toBe('KEYSTORE_UNREACHABLE');
      }
    }
    await emu.setOutage('none');
    expect(new TextDecoder().decode(await ks.get('my-key'))).toBe('v');
    expect((await ks.status()).latencyMs).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it('with default settings a black-holed endpoint fails well inside a 15 s route timeout', async () => {
    const ks = keystore();
    await emu.setOutage('hang');
    const [err, ms] = await timed(failure(ks.get('my-key')));
    // Three SDK attempts of at most 3 s each, or the 10 s operation deadline, whichever comes first.
    expect(err.code).toBe('KEYSTORE_UNREACHABLE');
    expect(err.message).toMatch(/requestTimeout|timed out after 10000 ms/);
    expect(ms).toBeLessThan(11_000);
  }, 20_000);

  it('wrong credentials and a disabled KMS key are operation failures with the AWS reason; status stays up', async () => {
    const wrong = keystore({ credentials: { accessKey: emu.credentials.accessKeyId, secretKey: 'wrong' } });
    const err = await failure(wrong.get('my-key'));
    expect(err.code).toBe('READ_KEY_FAILED');
    expect((err.cause as Error).message).toMatch(/^aws: failed to read 'my-key': InvalidSignatureException: The request signature we calculated/);
    await wrong.status();
    const ks = keystore({ kmsKey: 'alias/kes' });
    await ks.create('my-key', utf8('v'));
    expect((await admin.send(new DescribeSecretCommand({ SecretId: 'my-key' }))).KmsKeyId).toBe('alias/kes');
    emu.knobs.disabledKmsKeys = ['alias/kes'];
    expect((((await failure(ks.get('my-key'))).cause) as Error).message).toMatch(/cannot access: DecryptionFailure/);
  });
});

describe('aws.secretsmanager special cases (emulator): compatibility', () => {
  it('stores the stored-key text byte for byte as SecretString and reads secrets upstream KES wrote', async () => {
    const ks = keystore();
    const text = encodeStoredKey(newStoredKey({ createdBy: 'contract' }));
    await ks.create('my-key', text);
    const raw = await admin.send(new GetSecretValueCommand({ SecretId: 'my-key' }));
    expect(raw.SecretString).toBe(new TextDecoder().decode(text));
    expect(raw.SecretBinary).toBeUndefined();
    const legacy = `{"bytes":"${Buffer.alloc(32, 7).toString('base64')}","algorithm":"AES256-GCM_SHA256","created_at":"2023-05-17T09:30:00Z","created_by":"minio"}`;
    await admin.send(new CreateSecretCommand({ Name: 'legacy-key', SecretString: legacy }));
    expect(decodeStoredKey(await ks.get('legacy-key')).format).toBe('legacy-json');
  });

  it('lists every secret of the account, as KES does (not only the ones it created)', async () => {
    await admin.send(new CreateSecretCommand({ Name: 'prod/db-password', SecretString: 'x' }));
    const ks = keystore();
    await ks.create('minio-key', utf8('v'));
    expect((await ks.list('', 0)).names).toEqual(['minio-key', 'prod/db-password']);
    expect((await ks.list('min', 0)).names).toEqual(['minio-key']);
    expect(emu.requests().at(-1)?.input?.['Filters']).toEqual([{ Key: 'name', Values: ['min'] }]);
  });

  it('works end to end from a KES config block through keystoreDefinition', async () => {
    const block = {
      endpoint: emu.endpoint,
      region: emu.region,
      credentials: { accesskey: emu.credentials.accessKeyId, secretkey: emu.credentials.secretAccessKey, token: '' },
    };
    const result = keystoreDefinition.validate(block);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ks = (await keystoreDefinition.create(result.config, { cwd: process.cwd(), warn: () => undefined })) as AwsSecretsManagerKeystore;
    opened.push(ks);
    await ks.create('my-key', utf8('v'));
    expect((await ks.list('', 0)).names).toEqual(['my-key']);
    expect(keystoreDefinition.describe?.(result.config)).toBe(`${emu.endpoint} (region us-east-2)`);
  });
});
