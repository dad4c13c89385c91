import { Agent } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator, type SecretPermission } from './index.js';
import { clientFor, sdkFailure } from './test/harness.js';

let emu: Emulator;
let client: SecretClient;
/** A client that neither retries nor reuses connections, so each network fault surfaces at once and as itself. */
const freshClient = () =>
  clientFor(emu, { options: { retryOptions: { maxRetries: 0 }, agent: new Agent({ ca: emu.caPem, keepAlive: false }) } });

beforeAll(async () => {
  emu = await startEmulator({ vaults: ['faulty'] });
  client = clientFor(emu);
  await client.setSecret('warmup', 'w'); // completes the challenge for `client`
});
afterAll(() => emu.stop());
beforeEach(async () => {
  await emu.vault().resetKnobs();
  emu.vault().clearSecrets();
});

describe('access-policy permissions and RBAC', () => {
  const ops: Array<[SecretPermission, (c: SecretClient) => Promise<unknown>]> = [
    ['get', (c) => c.getSecret('present')],
    ['list', async (c) => {
      for await (const _ of c.listPropertiesOfSecrets()) void _;
    }],
    ['set', (c) => c.setSecret('present', 'v2')],
    ['delete', (c) => c.beginDeleteSecret('present')],
    ['purge', (c) => c.purgeDeletedSecret('gone')],
  ];
  it.each(ops)('a missing %s permission gives 403 ForbiddenByPolicy', async (perm, op) => {
    await client.setSecret('present', 'v');
    await client.setSecret('gone', 'g');
    await (await client.beginDeleteSecret('gone', { intervalInMs: 20 })).pollUntilDone();
    await emu.vault().setKnobs({ permissions: ['get', 'list', 'set', 'delete', 'purge'].filter((p) => p !== perm) as SecretPermission[] });
    const e = await sdkFailure(op(client));
    expect(e).toMatchObject({ statusCode: 403 });
    expect(emu.vault().requests().at(-1)).toMatchObject({ status: 403, errorCode: 'ForbiddenByPolicy' });
    if (perm === 'list') return; // the SDK's pager drops the error body: "Pagination failed with unexpected statusCode 403"
    expect(e).toMatchObject({ code: 'Forbidden', inner: 'ForbiddenByPolicy' });
    expect(e.message).toMatch(new RegExp(`^The user, group or application 'appid=${emu.clientId};oid=[0-9a-f-]+;iss=https://sts.windows.net/${emu.tenantId}/' does not have secrets ${perm} permission on key vault 'faulty;location=local'\\.`));
  });

  it('RBAC denial gives 403 ForbiddenByRbac naming the data action', async () => {
    await emu.vault().setKnobs({ rbacDenied: ['get'] });
    const e = await sdkFailure(client.getSecret('anything'));
    expect(e).toMatchObject({ statusCode: 403, inner: 'ForbiddenByRbac' });
    expect(e.message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'");
    await expect(client.setSecret('anything', 'x')).resolves.toBeDefined();
  });

  it('read-only mode serves reads and refuses writes', async () => {
    await client.setSecret('ro', 'before');
    await emu.vault().setKnobs({ readOnly: true });
    expect((await client.getSecret('ro')).value).toBe('before');
    expect(await sdkFailure(client.setSecret('ro', 'after'))).toMatchObject({ statusCode: 403, code: 'Forbidden' });
    expect(await sdkFailure(client.beginDeleteSecret('ro'))).toMatchObject({ statusCode: 403 });
  });

  it('a secret disabled through the admin handle is 403 SecretDisabled, and can be re-enabled', async () => {
    await client.setSecret('flip', 'v');
    emu.vault().setSecretEnabled('flip', false);
    expect(await sdkFailure(client.getSecret('flip'))).toMatchObject({ statusCode: 403, inner: 'SecretDisabled', message: 'Operation get is not allowed on a disabled secret.' });
    emu.vault().setSecretEnabled('FLIP', true);
    expect((await client.getSecret('flip')).value).toBe('v');
  });
});

describe('throttling', () => {
  it('429 without Retry-After is not retried by the SDK', async () => {
    await emu.vault().setKnobs({ throttle: { times: 1 } });
    const started = Date.now();
    const e = await sdkFailure(client.getSecret('x'));
    expect(e).toMatchObject({ statusCode: 429, code: 'Throttled' });
    expect(e.message).toBe('Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(emu.vault().throttledCount()).toBe(1);
  });

  it('429 with Retry-After is retried by the SDK and then succeeds', async () => {
    await client.setSecret('later', 'ok');
    await emu.vault().setKnobs({ throttle: { times: 1, retryAfterSeconds: 1 } });
    const started = Date.now();
    expect((await client.getSecret('later')).value).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emu.vault().throttledCount()).toBe(1);
  });

  it('throttles after N requests and by rate window', async () => {
    await client.setSecret('n', 'v');
    await emu.vault().setKnobs({ throttle: { afterRequests: 2 } });
    await client.getSecret('n');
    await client.getSecret('n');
    expect(await sdkFailure(client.getSecret('n'))).toMatchObject({ statusCode: 429 });
    await emu.vault().setKnobs({ throttle: { rate: { limit: 3, windowMs: 60_000 } } });
    for (let i = 0; i < 3; i++) await client.getSecret('n');
    expect(await sdkFailure(client.getSecret('n'))).toMatchObject({ statusCode: 429 });
    await emu.vault().setKnobs({ throttle: null });
    expect((await client.getSecret('n')).value).toBe('v');
  });
});

describe('network faults', () => {
  it('adds latency', async () => {
    await client.setSecret('slow', 's');
    await emu.vault().setKnobs({ latencyMs: 300 });
    const started = Date.now();
    await client.getSecret('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it.each([
    ['refused', /ECONNREFUSED/],
    ['reset', /ECONNRESET|socket hang up/],
  ] as const)('outage %s fails the request, and the vault serves again afterwards', async (mode, pattern) => {
    await client.setSecret('net', 'n');
    await emu.vault().setKnobs({ outage: mode });
    const e = await sdkFailure(freshClient().getSecret('net'));
    expect(`${e.code} ${e.message}`).toMatch(pattern);
    await emu.vault().setKnobs({ outage: 'none' });
    expect((await freshClient().getSecret('net')).value).toBe('n');
    expect((await client.getSecret('net')).value).toBe('n'); // the long-lived client recovers too
  });

  it('outage hang never answers (the client times out), then recovers', async () => {
    await client.setSecret('net', 'n');
    await emu.vault().setKnobs({ outage: 'hang' });
    const started = Date.now();
    const e = await sdkFailure(freshClient().getSecret('net', { requestOptions: { timeout: 400 } }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(e.message).toMatch(/timeout|aborted/i);
    await emu.vault().setKnobs({ outage: 'none' });
    expect((await freshClient().getSecret('net')).value).toBe('n');
    expect((await client.getSecret('net')).value).toBe('n');
  });
});
