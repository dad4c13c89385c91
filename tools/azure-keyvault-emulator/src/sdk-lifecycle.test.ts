import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from './index.js';
import { clientFor, sdkFailure, wait } from './test/harness.js';

let emu: Emulator;
let client: SecretClient;
/** Windows are long; tests end them by moving the emulator clock forward (deterministic under load). */
const WINDOW = 60_000;
let offset = 0;
const advance = (ms: number) => {
  offset += ms;
};

beforeAll(async () => {
  emu = await startEmulator({
    vaults: [{ name: 'lifecycle', knobs: { deleteDelayMs: WINDOW, purgeDelayMs: WINDOW, recoverDelayMs: WINDOW } }],
    now: () => Date.now() + offset,
  });
  client = clientFor(emu);
});
afterAll(() => emu.stop());
beforeEach(async () => {
  emu.vault().clearSecrets();
  await emu.vault().resetKnobs();
  await emu.vault().setKnobs({ deleteDelayMs: WINDOW, purgeDelayMs: WINDOW, recoverDelayMs: WINDOW });
});

describe('asynchronous soft delete, purge and recover through the real SDK', () => {
  it('reproduces the ObjectIsBeingDeleted window, then ObjectIsDeletedButRecoverable, then the purge window', async () => {
    await client.setSecret('kes-race', 'v1');
    const poller = await client.beginDeleteSecret('kes-race', { intervalInMs: 50 });
    // Inside the delete window: deleted secret invisible, name not reusable, purge refused.
    expect(await sdkFailure(client.getDeletedSecret('kes-race'))).toMatchObject({ statusCode: 404, code: 'SecretNotFound', message: 'Deleted Secret not found: kes-race' });
    expect(await sdkFailure(client.getSecret('kes-race'))).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    expect(await sdkFailure(client.setSecret('kes-race', 'v2'))).toMatchObject({ statusCode: 409, code: 'Conflict', inner: 'ObjectIsBeingDeleted' });
    expect(await sdkFailure(client.purgeDeletedSecret('kes-race'))).toMatchObject({
      statusCode: 409,
      inner: 'ObjectIsBeingDeleted',
      message: 'Secret is currently being deleted.',
    });
    const done = poller.pollUntilDone();
    await wait(120); // the poller keeps seeing 404 …
    expect(poller.isDone()).toBe(false);
    advance(WINDOW); // … until the window ends
    const deleted = await done;
    expect(deleted.recoveryId).toBe(`${emu.vaultUrl}/deletedsecrets/kes-race`);
    expect(deleted.properties.deletedOn).toBeInstanceOf(Date);
    expect(deleted.properties.scheduledPurgeDate?.getTime()).toBe((deleted.properties.deletedOn?.getTime() ?? 0) + 7 * 86_400_000);
    // Deleted and visible.
    expect((await client.getDeletedSecret('kes-race')).name).toBe('kes-race');
    const listed = [];
    for await (const d of client.listDeletedSecrets()) listed.push(d.name);
    expect(listed).toEqual(['kes-race']);
    expect(await sdkFailure(client.setSecret('kes-race', 'v2'))).toMatchObject({ statusCode: 409, inner: 'ObjectIsDeletedButRecoverable' });
    // Purge answers at once, but the name stays busy for the purge window.
    await client.purgeDeletedSecret('kes-race');
    expect(await sdkFailure(client.setSecret('kes-race', 'v2'))).toMatchObject({ statusCode: 409, inner: 'ObjectIsBeingDeleted' });
    expect(await sdkFailure(client.getDeletedSecret('kes-race'))).toMatchObject({ statusCode: 404 });
    advance(WINDOW);
    expect((await client.setSecret('kes-race', 'recreated')).value).toBe('recreated');
    const versions = [];
    for await (const v of client.listPropertiesOfSecretVersions('kes-race')) versions.push(v.version);
    expect(versions).toHaveLength(1);
  });

  it('recovers asynchronously: the secret reads 404 until the recover window ends', async () => {
    await client.setSecret('phoenix', 'ash');
    const deleting = (await client.beginDeleteSecret('phoenix', { intervalInMs: 50 })).pollUntilDone();
    advance(WINDOW);
    await deleting;
    const poller = await client.beginRecoverDeletedSecret('phoenix', { intervalInMs: 50 });
    expect(await sdkFailure(client.getSecret('phoenix'))).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    expect(await sdkFailure(client.setSecret('phoenix', 'x'))).toMatchObject({ statusCode: 409, inner: 'ObjectIsBeingRecovered' });
    const done = poller.pollUntilDone();
    await wait(120);
    expect(poller.isDone()).toBe(false);
    advance(WINDOW);
    const recovered = await done;
    expect(recovered.name).toBe('phoenix');
    expect((await client.getSecret('phoenix')).value).toBe('ash');
  });

  it('with purge protection: purge is 403 and the recovery level has no +Purgeable', async () => {
    await emu.vault().setKnobs({ purgeProtection: true, deleteDelayMs: 0, recoverableDays: 90 });
    const s = await client.setSecret('protected', 'p');
    expect(s.properties.recoveryLevel).toBe('Recoverable');
    expect(s.properties.recoverableDays).toBe(90);
    await (await client.beginDeleteSecret('protected', { intervalInMs: 50 })).pollUntilDone();
    const e = await sdkFailure(client.purgeDeletedSecret('protected'));
    expect(e).toMatchObject({ statusCode: 403, code: 'Forbidden', inner: undefined });
    expect(e.message).toMatch(/^Operation "purge" is not allowed because purge protection is enabled for this vault\./);
    expect((await client.getDeletedSecret('protected')).name).toBe('protected');
  });

  it('deleting or recovering an unknown name is 404, and the immediate (no window) path still works', async () => {
    await emu.vault().setKnobs({ deleteDelayMs: 0, purgeDelayMs: 0, recoverDelayMs: 0 });
    expect(await sdkFailure(client.beginDeleteSecret('ghost'))).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    expect(await sdkFailure(client.purgeDeletedSecret('ghost'))).toMatchObject({ statusCode: 404, message: 'Deleted Secret not found: ghost' });
    expect(await sdkFailure(client.beginRecoverDeletedSecret('ghost'))).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    await client.setSecret('quick', 'q');
    await (await client.beginDeleteSecret('quick', { intervalInMs: 20 })).pollUntilDone();
    await client.purgeDeletedSecret('quick');
    await client.setSecret('quick', 'again');
    expect((await client.getSecret('quick')).value).toBe('again');
  });
});
