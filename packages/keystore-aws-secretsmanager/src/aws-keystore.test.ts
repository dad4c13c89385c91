import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  ListSecretsCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { KesError } from '@kes/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsSecretsManagerKeystore } from './aws-keystore.js';
import type { AwsSecretsManagerKeystoreOptions } from './options.js';

type Command = { constructor: { name: string }; input: Record<string, unknown> };
type Handler = (command: Command, signal: AbortSignal | undefined) => Promise<unknown> | unknown;

/** A stand-in for the SDK client: records commands, answers through `handler`. */
function stubClient(handler: Handler) {
  const calls: Command[] = [];
  const stub = {
    calls,
    destroyed: 0,
    async send(command: Command, options?: { abortSignal?: AbortSignal }) {
      calls.push(command);
      return handler(command, options?.abortSignal);
    },
    destroy() {
      stub.destroyed++;
    },
  };
  return stub;
}

const keystores: AwsSecretsManagerKeystore[] = [];
afterEach(async () => {
  await Promise.all(keystores.splice(0).map((k) => k.close()));
});

function keystore(handler: Handler, options: Partial<AwsSecretsManagerKeystoreOptions> = {}) {
  const client = stubClient(handler);
  const ks = new AwsSecretsManagerKeystore({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-2',
    client: client as unknown as SecretsManagerClient,
    pendingDeletion: { initialDelayMs: 1, maxDelayMs: 5, retries: 6 },
    ...options,
  });
  keystores.push(ks);
  return { ks, client };
}

const meta = (attempts = 1) => ({ $metadata: { httpStatusCode: 400, attempts } });
const scheduled = () =>
  new InvalidRequestException({ message: "You can't create this secret because a secret with this name is already scheduled for deletion.", ...meta() });
const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: unknown) => e as KesError);
const never = (_: Command, signal: AbortSignal | undefined) =>
  new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))));

describe('AwsSecretsManagerKeystore requests', () => {
  it('creates one secret per key: prefixed name, SecretString, KmsKeyId, a fresh ClientRequestToken per create', async () => {
    const { ks, client } = keystore(() => ({}), { kmsKey: 'alias/kes', namePrefix: 'test-' });
    await ks.create('my-key', new TextEncoder().encode('CiQKIA=='));
    await ks.create('bin', Uint8Array.of(0xff));
    const [first, second] = client.calls;
    expect(first?.constructor.name).toBe(CreateSecretCommand.name);
    expect(first?.input).toMatchObject({ Name: 'test-my-key', SecretString: 'CiQKIA==', KmsKeyId: 'alias/kes' });
    expect(first?.input['ClientRequestToken']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.input).toMatchObject({ Name: 'test-bin', SecretBinary: Uint8Array.of(0xff) });
    expect(second?.input['ClientRequestToken']).not.toBe(first?.input['ClientRequestToken']);
  });

  it('gets SecretString bytes, maps a missing secret to KEY_NOT_FOUND, and force-deletes without recovery', async () => {
    const { ks, client } = keystore((cmd) => {
      if (cmd.input['SecretId'] === 'missing') throw new ResourceNotFoundException({ message: 'gone', ...meta() });
      return cmd.constructor.name === GetSecretValueCommand.name ? { SecretString: 'value' } : {};
    });
    expect(new TextDecoder().decode(await ks.get('present'))).toBe('value');
    expect((await failure(ks.get('missing'))).code).toBe('KEY_NOT_FOUND');
    await ks.delete('present');
    expect(client.calls.at(-1)?.constructor.name).toBe(DeleteSecretCommand.name);
    expect(client.calls.at(-1)?.input).toEqual({ SecretId: 'present', ForceDeleteWithoutRecovery: true });
  });

  it('lists every page with a name-prefix filter, strips the key prefix, skips deleted secrets, sorts in byte order', async () => {
    const pages: Record<string, { SecretList: object[]; NextToken?: string }> = {
      start: { SecretList: [{ Name: 'test-b' }, { Name: 'test-a', DeletedDate: new Date() }], NextToken: 'p2' },
      p2: { SecretList: [{ Name: 'test-B' }, { Name: 'other' }, { Name: 'test-b' }], NextToken: 'p3' },
      p3: { SecretList: [{ Name: 'test-a0' }] },
    };
    const { ks, client } = keystore((cmd) => pages[(cmd.input['NextToken'] as string | undefined) ?? 'start'], { namePrefix: 'test-' });
    expect(await ks.list('', 0)).toEqual({ names: ['B', 'a0', 'b'], continueAt: '' });
    expect(client.calls.map((c) => [c.constructor.name, c.input['NextToken'], c.input['MaxResults']])).toEqual([
      [ListSecretsCommand.name, undefined, 100],
      [ListSecretsCommand.name, 'p2', 100],
      [ListSecretsCommand.name, 'p3', 100],
    ]);
    expect(client.calls[0]?.input['Filters']).toEqual([{ Key: 'name', Values: ['test-'] }]);
    expect(await ks.list('a', 1)).toEqual({ names: ['a0'], continueAt: '' });
    expect(client.calls.at(-1)?.input['Filters']).toEqual([{ Key: 'name', Values: ['test-a'] }]);
  });

  it('lists without a filter when there is no prefix at all (like KES: the whole account)', async () => {
    const { ks, client } = keystore(() => ({ SecretList: [{ Name: 'prod/db' }, { Name: 'kes-key' }] }));
    expect(await ks.list('', 0)).toEqual({ names: ['kes-key', 'prod/db'], continueAt: '' });
    expect(client.calls[0]?.input['Filters']).toBeUndefined();
  });

  it('refuses names AWS cannot store and values over 64 KiB without sending anything', async () => {
    const { ks, client } = keystore(() => ({}));
    for (const name of ['', 'a b', 'ä', 'x'.repeat(513)]) {
      expect((await failure(ks.get(name))).message, name).toBe('aws: key name contains invalid character');
    }
    const big = await failure(ks.create('big', new Uint8Array(65_537)));
    expect(big.code).toBe('CREATE_KEY_FAILED');
    expect(client.calls).toEqual([]);
    await ks.create('max', new Uint8Array(65_536).fill(0x61));
  });
});

describe('AwsSecretsManagerKeystore create edge cases', () => {
  it('retries a create while the name is still being deleted, with a new token each time', async () => {
    let refusals = 3;
    const { ks, client } = keystore(() => {
      if (refusals-- > 0) throw scheduled();
      return {};
    });
    await ks.create('k', Uint8Array.of(0x61));
    expect(client.calls).toHaveLength(4);
    expect(new Set(client.calls.map((c) => c.input['ClientRequestToken'])).size).toBe(4);
  });

  it('gives up after the configured retries with CREATE_KEY_FAILED saying what to do', async () => {
    const { ks, client } = keystore(() => {
      throw scheduled();
    }, { pendingDeletion: { retries: 2, initialDelayMs: 1, maxDelayMs: 1 } });
    const err = await failure(ks.create('k', Uint8Array.of(0x61)));
    expect(err.code).toBe('CREATE_KEY_FAILED');
    expect((err.cause as Error).message).toMatch(/^aws: cannot create 'k': a secret with this name is still scheduled for deletion after 3 attempts in \d+\.\d s\. .*restore-secret.*--force-delete-without-recovery/);
    expect(client.calls).toHaveLength(3);
  });

  it('never sleeps past the operation deadline', async () => {
    const { ks, client } = keystore(() => {
      throw scheduled();
    }, { operationTimeoutMs: 1_500, pendingDeletion: { retries: 10, initialDelayMs: 400, maxDelayMs: 400 } });
    const started = Date.now();
    const err = await failure(ks.create('k', Uint8Array.of(0x61)));
    expect(err.code).toBe('CREATE_KEY_FAILED');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(client.calls.length).toBeLessThan(4);
  });

  it('accepts a ResourceExistsException after SDK retries when the secret carries our token (lost response)', async () => {
    let version = '';
    const { ks, client } = keystore((cmd) => {
      if (cmd.constructor.name === CreateSecretCommand.name) {
        version = cmd.input['ClientRequestToken'] as string;
        throw new ResourceExistsException({ message: 'exists', ...meta(2) });
      }
      return { VersionId: version, SecretString: 'v' };
    });
    await ks.create('k', Uint8Array.of(0x76));
    expect(client.calls.map((c) => c.constructor.name)).toEqual([CreateSecretCommand.name, GetSecretValueCommand.name]);
  });

  it('reports KEY_EXISTS for someone else\'s secret, and does not look when the SDK made one attempt', async () => {
    const other = keystore((cmd) => {
      if (cmd.constructor.name === CreateSecretCommand.name) throw new ResourceExistsException({ message: 'exists', ...meta(3) });
      return { VersionId: 'someone-else', SecretString: 'v' };
    });
    expect((await failure(other.ks.create('k', Uint8Array.of(1)))).code).toBe('KEY_EXISTS');
    const single = keystore(() => {
      throw new ResourceExistsException({ message: 'exists', ...meta(1) });
    });
    expect((await failure(single.ks.create('k', Uint8Array.of(1)))).code).toBe('KEY_EXISTS');
    expect(single.client.calls).toHaveLength(1);
  });
});

describe('AwsSecretsManagerKeystore deadlines, aborts and close', () => {
  it('turns a call that outlives operationTimeoutMs into KEYSTORE_UNREACHABLE', async () => {
    const { ks } = keystore(never, { operationTimeoutMs: 50 });
    const err = await failure(ks.get('k'));
    expect(err.code).toBe('KEYSTORE_UNREACHABLE');
    expect(err.message).toBe("kes: keystore unreachable: aws: get 'k' timed out after 50 ms");
    expect((await failure(ks.list('', 0))).message).toBe('kes: keystore unreachable: aws: list timed out after 50 ms');
  });

  it('rejects with the caller\'s abort reason, also in the middle of a request or a backoff', async () => {
    const { ks } = keystore(never);
    const controller = new AbortController();
    const reason = new Error('client went away');
    setTimeout(() => controller.abort(reason), 20);
    await expect(ks.get('k', controller.signal)).rejects.toBe(reason);
    const pending = keystore(() => {
      throw scheduled();
    }, { pendingDeletion: { retries: 5, initialDelayMs: 1_000, maxDelayMs: 1_000 } });
    const second = new AbortController();
    setTimeout(() => second.abort(reason), 20);
    await expect(pending.ks.create('k', Uint8Array.of(1), second.signal)).rejects.toBe(reason);
  });

  it('close destroys the client once; later calls are KEYSTORE_UNREACHABLE', async () => {
    const { ks, client } = keystore(() => ({}));
    await Promise.all([ks.close(), ks.close()]);
    await ks.close();
    expect(client.destroyed).toBe(1);
    for (const call of [ks.get('k'), ks.create('k', Uint8Array.of(1)), ks.delete('k'), ks.list('', 0), ks.status()]) {
      expect((await failure(call)).message).toBe('kes: keystore unreachable: aws: keystore is closed');
    }
  });

  it('refuses invalid numeric options', () => {
    expect(() => new AwsSecretsManagerKeystore({ endpoint: 'http://x', region: 'r', maxAttempts: 0 })).toThrow(RangeError);
    expect(() => new AwsSecretsManagerKeystore({ endpoint: 'http://x', region: 'r', operationTimeoutMs: -1 })).toThrow(RangeError);
  });
});
