import type { SecretPermission } from '@kes/azure-keyvault-emulator';
import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestVault, vaultCalls, type TestVault } from './emulator-harness.spec.js';
import { clientFor } from './sdk-client.spec.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const causeOf = (e: Error) => (e.cause as Error).message;
const ALL: SecretPermission[] = ['get', 'list', 'set', 'delete', 'purge'];
const without = (p: SecretPermission) => ALL.filter((x) => x !== p);

let vault: TestVault;
beforeAll(async () => {
  vault = await startTestVault();
});
afterAll(() => vault.stop());
beforeEach(() => vault.reset());

describe('soft delete and purge', () => {
  it('create during an asynchronous delete window purges with retries, then writes', async () => {
    const ks = vault.keystore({ timing: { conflictDelayMs: 50 } });
    await ks.create('k', utf8('old'));
    await vault.emu.vault().setKnobs({ deleteDelayMs: 400, purgeDelayMs: 200 });
    await clientFor(vault.emu).beginDeleteSecret('k'); // someone else deleted it without purging
    await ks.create('k', utf8('new'));
    expect(text(await ks.get('k'))).toBe('new');
    const codes = vault.emu.vault().requests().map((r) => r.errorCode);
    expect(codes).toContain('ObjectIsBeingDeleted');
  });

  it('delete during slow deletion retries the purge until Key Vault lets it', async () => {
    // Longest pauses (50 ms): 10 purge attempts then span more than the 300 ms delete window on any machine.
    const ks = vault.keystore({ random: () => 1 });
    await ks.create('k', utf8('v'));
    await vault.emu.vault().setKnobs({ deleteDelayMs: 300 });
    await ks.delete('k');
    expect(vaultCalls(vault.emu).filter((c) => c === 'DELETE /deletedsecrets/k').length).toBeGreaterThan(1);
    expect(vault.warnings).toEqual([]);
    await vault.emu.vault().setKnobs({ deleteDelayMs: 0 });
    await ks.create('k', utf8('again'));
  });

  it('a soft-deleted namesake (deleted by someone else) is purged by create', async () => {
    const sdk = clientFor(vault.emu);
    await sdk.setSecret('left', 'x');
    await (await sdk.beginDeleteSecret('left')).pollUntilDone();
    vault.emu.vault().clearRequests();
    await vault.keystore().create('left', utf8('mine'));
    expect(vaultCalls(vault.emu)).toEqual(['GET /secrets/left/', 'PUT /secrets/left', 'DELETE /deletedsecrets/left', 'PUT /secrets/left', 'GET /secrets/left/versions']);
  });

  it('purge protection: delete succeeds with a warning; create then names the scheduled purge date', async () => {
    const ks = vault.keystore();
    await ks.create('kept', utf8('v'));
    await vault.emu.vault().setKnobs({ purgeProtection: true, recoverableDays: 30 });
    await ks.delete('kept');
    await expectKesError(ks.get('kept'), 'KEY_NOT_FOUND');
    expect(vault.warnings).toHaveLength(1);
    expect(vault.warnings[0]).toMatch(/^azure: key 'kept' was deleted; the vault has purge protection, so the name 'kept' cannot be used again before \d{4}-\d\d-\d\dT/);
    const date = (await clientFor(vault.emu).getDeletedSecret('kept')).properties.scheduledPurgeDate!.toISOString();
    const err = await expectKesError(ks.create('kept', utf8('w')), 'CREATE_KEY_FAILED');
    expect(causeOf(err)).toContain('cannot be purged because the vault has purge protection enabled');
    expect(causeOf(err)).toContain(`wait until ${date}`);
  });
});

describe('missing permissions are named', () => {
  it.each([
    ['get', 'list', () => vault.keystore().get('k'), 'READ_KEY_FAILED'],
    ['get', 'get', () => vault.keystore().get('k'), 'READ_KEY_FAILED'],
    ['create', 'set', () => vault.keystore().create('other', utf8('v')), 'CREATE_KEY_FAILED'],
    ['create', 'get', () => vault.keystore().create('other', utf8('v')), 'CREATE_KEY_FAILED'],
    ['delete', 'delete', () => vault.keystore().delete('k'), 'DELETE_KEY_FAILED'],
    ['delete', 'purge', () => vault.keystore().delete('k'), 'DELETE_KEY_FAILED'],
    ['list', 'list', () => vault.keystore().list('', 0), 'LIST_KEYS_FAILED'],
  ] as const)('%s without the %s permission', async (_op, permission, call, code) => {
    await vault.keystore().create('k', utf8('v'));
    await vault.emu.vault().setKnobs({ permissions: without(permission) });
    const err = await expectKesError(call(), code);
    expect(causeOf(err)).toContain(`does not grant this identity the secret permission '${permission}'`);
    if (permission === 'purge') expect(causeOf(err)).toContain('the secret was deleted (it is soft-deleted and no longer served), but purging it failed');
  });

  it('an RBAC denial names the data action and the role; status reports a missing get permission as unavailable', async () => {
    await vault.emu.vault().setKnobs({ rbacDenied: ['set'] });
    const err = await expectKesError(vault.keystore().create('k', utf8('v')), 'CREATE_KEY_FAILED');
    expect(causeOf(err)).toContain("no role assignment allows 'set' (Microsoft.KeyVault/vaults/secrets/setSecret/action)");
    await vault.emu.vault().setKnobs({ rbacDenied: [], permissions: without('get') });
    const status = await expectKesError(vault.keystore().status(), 'KEYSTORE_UNAVAILABLE');
    expect(causeOf(status)).toContain("secret permission 'get'");
  });
});

describe('throttling', () => {
  it('429 without Retry-After is retried with backoff (the SDK would not), 429 with Retry-After after that long', async () => {
    const ks = vault.keystore();
    await ks.create('k', utf8('v'));
    await vault.emu.vault().setKnobs({ throttle: { times: 4 } });
    expect(text(await ks.get('k'))).toBe('v');
    expect(vault.emu.vault().throttledCount()).toBe(4);
    await vault.emu.vault().setKnobs({ throttle: { times: 1, retryAfterSeconds: 1 } });
    const started = performance.now();
    expect(text(await vault.keystore().get('k'))).toBe('v');
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('a storm (rate limit) slows many concurrent creates down but all of them succeed', async () => {
    const ks = vault.keystore({ timing: { backoffBaseMs: 250, backoffMaxMs: 2000 } });
    await ks.status();
    await vault.emu.vault().setKnobs({ throttle: { rate: { limit: 20, windowMs: 500 } } });
    const names = Array.from({ length: 25 }, (_, i) => `storm-${i}`);
    await Promise.all(names.map((n) => ks.create(n, utf8(n))));
    expect(vault.emu.vault().throttledCount()).toBeGreaterThan(0);
    await vault.emu.vault().setKnobs({ throttle: null });
    expect((await ks.list('storm-', 0)).names).toHaveLength(25);
  });

  it('endless throttling ends the call within its budget with an error that says so', async () => {
    const ks = vault.keystore({ timing: { operationTimeoutMs: 1500 } });
    await vault.emu.vault().setKnobs({ throttle: {} });
    let started = performance.now();
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(performance.now() - started).toBeLessThan(1600);
    expect(causeOf(err)).toContain('Key Vault kept throttling the requests (HTTP 429)');
    await vault.emu.vault().setKnobs({ throttle: { retryAfterSeconds: 30 } });
    started = performance.now();
    await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(performance.now() - started).toBeLessThan(500); // Retry-After beyond the budget: no pointless wait
  });
});

describe('outages', () => {
  it.each(['refused', 'reset'] as const)('%s connections give KEYSTORE_UNREACHABLE; the keystore recovers', async (outage) => {
    const ks = vault.keystore();
    await ks.create('k', utf8('v'));
    await vault.emu.vault().setKnobs({ outage });
    await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
    await expectKesError(ks.status(), 'KEYSTORE_UNREACHABLE');
    await vault.emu.vault().setKnobs({ outage: 'none' });
    expect(text(await ks.get('k'))).toBe('v');
  });

  it('a vault that never answers: each call ends at its budget with KEYSTORE_UNREACHABLE', async () => {
    const ks = vault.keystore({ timing: { attemptTimeoutMs: 300, statusTimeoutMs: 500, operationTimeoutMs: 800 } });
    await ks.status();
    await vault.emu.vault().setKnobs({ outage: 'hang' });
    let started = performance.now();
    const err = await expectKesError(ks.status(), 'KEYSTORE_UNREACHABLE');
    expect(err.message).toMatch(/^kes: keystore unreachable: azure: the vault did not answer within \d+ ms$/);
    expect(performance.now() - started).toBeLessThan(700);
    started = performance.now();
    await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
    expect(performance.now() - started).toBeLessThan(1100);
    await vault.emu.vault().setKnobs({ outage: 'none' });
  });

  it('an abort during a slow call rejects at once with the reason', async () => {
    const ks = vault.keystore();
    await ks.status();
    await vault.emu.vault().setKnobs({ latencyMs: 2000 });
    const reason = new Error('client went away');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    const started = performance.now();
    await expect(ks.get('k', controller.signal)).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
