import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, KnobError, type Emulator } from './index.js';
import { clientFor, rawRequest, sdkFailure } from './test/harness.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ vaults: [{ name: 'alpha', knobs: { deleteDelayMs: 1234 } }, 'beta'] });
});
afterAll(() => emu.stop());

const admin = (method: string, path: string, body?: unknown) =>
  rawRequest(emu, method, `${emu.adminUrl}${path}`, body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('admin endpoint', () => {
  it('lists vaults with their knobs (start-time knobs applied)', async () => {
    const r = await admin('GET', '');
    expect(r.status).toBe(200);
    const vaults = (r.json as { vaults: Array<{ name: string; url: string; knobs: { deleteDelayMs: number } }> }).vaults;
    expect(vaults.map((v) => [v.name, v.url, v.knobs.deleteDelayMs])).toEqual([
      ['alpha', emu.vault('alpha').url, 1234],
      ['beta', emu.vault('BETA').url, 0],
    ]);
  });

  it('changes knobs at run time and the vault behaves accordingly', async () => {
    const client = clientFor(emu, { vaultUrl: emu.vault('beta').url });
    await client.setSecret('k', 'v');
    const set = await admin('PATCH', '/vaults/beta/knobs', { permissions: ['list'], throttle: null });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ permissions: ['list'] });
    expect(await sdkFailure(client.getSecret('k'))).toMatchObject({ statusCode: 403, inner: 'ForbiddenByPolicy' });
    expect((await admin('POST', '/vaults/beta/knobs/reset')).json).toMatchObject({ permissions: ['get', 'list', 'set', 'delete', 'purge', 'recover', 'backup', 'restore'] });
    expect((await client.getSecret('k')).value).toBe('v');
  });

  it('rejects invalid knobs without applying any of them', async () => {
    const before = emu.vault('alpha').knobs();
    for (const body of ['{broken', { latencyMs: 5, outage: 'sideways' }, { unknownKnob: true }, [1, 2]]) {
      const r = await admin('PATCH', '/vaults/alpha/knobs', body);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: { code: 'InvalidKnob' } });
    }
    expect(emu.vault('alpha').knobs()).toEqual(before);
    await expect(emu.admin.vault('alpha').setKnobs({ latencyMs: -1 })).rejects.toBeInstanceOf(KnobError);
    expect(emu.admin.url).toBe(emu.adminUrl);
  });

  it('disables a secret, reads and clears the request log, clears secrets', async () => {
    const client = clientFor(emu, { vaultUrl: emu.vault('alpha').url });
    await client.setSecret('logged', 'v');
    expect((await admin('PATCH', '/vaults/alpha/secrets/logged', { enabled: false })).status).toBe(200);
    expect(await sdkFailure(client.getSecret('logged'))).toMatchObject({ inner: 'SecretDisabled' });
    expect((await admin('PATCH', '/vaults/alpha/secrets/nothing-here', { enabled: false })).status).toBe(404);
    expect((await admin('PATCH', '/vaults/alpha/secrets/logged', { enabled: 'no' })).status).toBe(400);
    const log = (await admin('GET', '/vaults/alpha/requests')).json as Array<{ status: number; url: string }>;
    expect(log.at(-1)).toMatchObject({ status: 403, errorCode: 'SecretDisabled' });
    expect(JSON.stringify(log)).not.toContain('Bearer');
    expect((await admin('DELETE', '/vaults/alpha/requests')).status).toBe(204);
    expect((await admin('GET', '/vaults/alpha/requests')).json).toEqual([]);
    expect((await admin('DELETE', '/vaults/alpha/secrets')).status).toBe(204);
    expect(await sdkFailure(client.getSecret('logged'))).toMatchObject({ statusCode: 404 });
  });

  it('answers unknown vaults and paths with 404', async () => {
    expect((await admin('GET', '/vaults/nope/knobs')).status).toBe(404);
    expect((await admin('GET', '/vaults/alpha/whatever')).status).toBe(404);
    expect((await rawRequest(emu, 'GET', emu.adminUrl.replace('/admin', '/other'))).status).toBe(404);
  });
});
