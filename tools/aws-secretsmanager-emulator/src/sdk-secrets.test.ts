import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  RestoreSecretCommand,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { emulatorWithClient, rejection } from './test/sdk-helpers.js';

describe('the real AWS SDK against the emulator', () => {
  it('creates and reads a SecretString secret with KmsKeyId; the version id is the ClientRequestToken', async () => {
    const { emu, client } = await emulatorWithClient();
    const token = '0df29f41-aaaa-bbbb-cccc-123456789012';
    const created = await client.send(new CreateSecretCommand({ Name: 'kes-key-1', SecretString: 'CiQKIA==', KmsKeyId: 'alias/kes', ClientRequestToken: token }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-2:000000000000:secret:kes-key-1-[A-Za-z]{6}$/);
    expect(created).toMatchObject({ Name: 'kes-key-1', VersionId: token });
    const got = await client.send(new GetSecretValueCommand({ SecretId: 'kes-key-1' }));
    expect(got).toMatchObject({ Name: 'kes-key-1', ARN: created.ARN, SecretString: 'CiQKIA==', VersionId: token, VersionStages: ['AWSCURRENT'] });
    expect(got.CreatedDate).toBeInstanceOf(Date);
    expect(Math.abs(got.CreatedDate!.getTime() - Date.now())).toBeLessThan(5_000);
    expect((await client.send(new GetSecretValueCommand({ SecretId: created.ARN! }))).SecretString).toBe('CiQKIA==');
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'kes-key-1' }));
    expect(described).toMatchObject({ KmsKeyId: 'alias/kes', VersionIdsToStages: { [token]: ['AWSCURRENT'] } });
    expect(emu.secretNames()).toEqual(['kes-key-1']);
  });

  it('round-trips SecretBinary as base64 on the wire', async () => {
    const { client } = await emulatorWithClient();
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await client.send(new CreateSecretCommand({ Name: 'bin', SecretBinary: bytes }));
    const got = await client.send(new GetSecretValueCommand({ SecretId: 'bin' }));
    expect(got.SecretString).toBeUndefined();
    expect(Buffer.from(got.SecretBinary!).equals(Buffer.from(bytes))).toBe(true);
  });

  it('answers the error shapes KES depends on, as client faults with HTTP 400', async () => {
    const { client } = await emulatorWithClient();
    await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v' }));
    const exists = await rejection(client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v' })));
    expect(exists).toMatchObject({ name: 'ResourceExistsException', $fault: 'client', message: 'The operation failed because the secret k already exists.' });
    expect(exists.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    const missing = await rejection(client.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
    const both = await rejection(client.send(new CreateSecretCommand({ Name: 'b', SecretString: 'v', SecretBinary: Uint8Array.of(1) })));
    expect(both.name).toBe('InvalidParameterException');
    for (const name of ['has space', 'a#b', 'ümlaut']) {
      expect((await rejection(client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' })))).name, name).toBe('InvalidParameterException');
    }
    expect((await rejection(client.send(new CreateSecretCommand({ Name: 'x'.repeat(513), SecretString: 'v' })))).name).toBe('ValidationException');
    expect((await rejection(client.send(new CreateSecretCommand({ Name: 'big', SecretString: 'x'.repeat(65_537) })))).name).toBe('ValidationException');
    await client.send(new CreateSecretCommand({ Name: 'max', SecretString: 'x'.repeat(65_536) }));
    await client.send(new CreateSecretCommand({ Name: 'p/a_t+h=.@-ok', SecretString: 'v' }));
  });

  it('force-deletes at once, and a forced delete of a missing secret succeeds (no ResourceNotFoundException)', async () => {
    const { emu, client } = await emulatorWithClient();
    await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v' }));
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: 'k', ForceDeleteWithoutRecovery: true }));
    expect(deleted.Name).toBe('k');
    expect(deleted.DeletionDate).toBeInstanceOf(Date);
    expect(emu.secretNames({ includeDeleting: true })).toEqual([]);
    expect((await rejection(client.send(new GetSecretValueCommand({ SecretId: 'k' })))).name).toBe('ResourceNotFoundException');
    await client.send(new DeleteSecretCommand({ SecretId: 'k', ForceDeleteWithoutRecovery: true }));
    expect((await rejection(client.send(new DeleteSecretCommand({ SecretId: 'k' })))).name).toBe('ResourceNotFoundException');
    await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'again' }));
  });

  it('schedules a deletion with a recovery window: Get and Create refused, hidden from List, Describe shows DeletedDate, Restore undoes it', async () => {
    const { client } = await emulatorWithClient();
    await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v' }));
    const scheduled = await client.send(new DeleteSecretCommand({ SecretId: 'k', RecoveryWindowInDays: 7 }));
    expect(scheduled.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const get = await rejection(client.send(new GetSecretValueCommand({ SecretId: 'k' })));
    expect(get).toMatchObject({ name: 'InvalidRequestException', message: "You can't perform this operation on the secret because it was marked for deletion." });
    const create = await rejection(client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v2' })));
    expect(create).toMatchObject({
      name: 'InvalidRequestException',
      message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
    });
    expect((await client.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    const planned = await client.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(planned.SecretList?.map((s) => [s.Name, s.DeletedDate instanceof Date])).toEqual([['k', true]]);
    expect((await client.send(new DescribeSecretCommand({ SecretId: 'k' }))).DeletedDate).toBeInstanceOf(Date);
    expect((await rejection(client.send(new DeleteSecretCommand({ SecretId: 'k', RecoveryWindowInDays: 7 })))).name).toBe('InvalidRequestException');
    await client.send(new RestoreSecretCommand({ SecretId: 'k' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'k' }))).SecretString).toBe('v');
  });

  it('validates DeleteSecret parameters like AWS', async () => {
    const { client } = await emulatorWithClient();
    await client.send(new CreateSecretCommand({ Name: 'k', SecretString: 'v' }));
    for (const input of [{ ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 7 }, { RecoveryWindowInDays: 6 }, { RecoveryWindowInDays: 31 }]) {
      expect((await rejection(client.send(new DeleteSecretCommand({ SecretId: 'k', ...input })))).name, JSON.stringify(input)).toBe('InvalidParameterException');
    }
    await client.send(new DeleteSecretCommand({ SecretId: 'k', ForceDeleteWithoutRecovery: true }));
    const restore = await rejection(client.send(new RestoreSecretCommand({ SecretId: 'k' })));
    expect(restore.name).toBe('ResourceNotFoundException');
  });

  it('pages ListSecrets with NextToken, stably under concurrent deletes, and the SDK paginator follows it', async () => {
    const { emu, client } = await emulatorWithClient({ knobs: { pageSize: 2 } });
    const names = ['e', 'a', 'd', 'b', 'c'];
    for (const Name of names) await client.send(new CreateSecretCommand({ Name, SecretString: Name }));
    const first = await client.send(new ListSecretsCommand({}));
    expect(first.SecretList?.map((s) => s.Name)).toEqual(['e', 'a']);
    await client.send(new DeleteSecretCommand({ SecretId: 'd', ForceDeleteWithoutRecovery: true }));
    const second = await client.send(new ListSecretsCommand({ NextToken: first.NextToken! }));
    expect(second.SecretList?.map((s) => s.Name)).toEqual(['b', 'c']);
    expect(second.NextToken).toBeUndefined();
    emu.clearRequests();
    const seen: string[] = [];
    for await (const page of paginateListSecrets({ client, pageSize: 1 }, {})) seen.push(...(page.SecretList ?? []).map((s) => s.Name!));
    expect(seen).toEqual(['e', 'a', 'b', 'c']);
    expect(emu.requests().map((r) => r.operation)).toEqual(Array(4).fill('ListSecrets'));
    const desc = await client.send(new ListSecretsCommand({ SortOrder: 'desc', MaxResults: 3 }));
    expect(desc.SecretList?.map((s) => s.Name)).toEqual(['c', 'b', 'a']);
    expect((await rejection(client.send(new ListSecretsCommand({ NextToken: 'garbage' })))).name).toBe('InvalidNextTokenException');
    expect((await rejection(client.send(new ListSecretsCommand({ SortOrder: 'desc', NextToken: first.NextToken! })))).name).toBe('InvalidNextTokenException');
    expect((await rejection(client.send(new ListSecretsCommand({ MaxResults: 101 })))).name).toBe('ValidationException');
  });

  it('filters ListSecrets by name prefix (case-sensitive), negation, description and tags', async () => {
    const { client } = await emulatorWithClient();
    const make = (Name: string, extra: object = {}) => client.send(new CreateSecretCommand({ Name, SecretString: 'v', ...extra }));
    await make('kes-a');
    await make('kes-b', { Description: 'Minio Keys', Tags: [{ Key: 'team', Value: 'storage' }] });
    await make('KES-c');
    await make('other');
    const list = async (Key: 'name' | 'description' | 'tag-key' | 'tag-value', Values: string[]) =>
      ((await client.send(new ListSecretsCommand({ Filters: [{ Key, Values }] }))).SecretList ?? []).map((s) => s.Name);
    expect(await list('name', ['kes-'])).toEqual(['kes-a', 'kes-b']);
    expect(await list('name', ['kes-', 'oth'])).toEqual(['kes-a', 'kes-b', 'other']);
    expect(await list('name', ['!kes'])).toEqual(['KES-c', 'other']);
    expect(await list('description', ['minio'])).toEqual(['kes-b']);
    expect(await list('tag-key', ['te'])).toEqual(['kes-b']);
    expect(await list('tag-value', ['stor'])).toEqual(['kes-b']);
    const bad = await rejection(client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['a#b'] }] })));
    expect(bad.name).toBe('ValidationException');
    expect((await rejection(client.send(new ListSecretsCommand({ Filters: [{ Key: 'all', Values: ['x'] }] })))).name).toBe('InvalidParameterException');
  });

  it('answers GET / (a KES-style status probe) and unknown targets', async () => {
    const { emu } = await emulatorWithClient();
    const probe = await fetch(emu.endpoint);
    expect(probe.status).toBe(404);
    await probe.body?.cancel();
    expect(emu.requests().at(-1)).toMatchObject({ method: 'GET', status: 404 });
  });
});
