import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

describe('vault sealed, uninitialised and unreachable (emulator)', () => {
  it('sealed: status and calls are KEYSTORE_UNREACHABLE (calls fail fast); after unsealing everything works again', async () => {
    const ks = await fixture.keystore();
    await ks.create('k', Buffer.from('v'));
    fixture.emulator.seal(true);
    try {
      const err = await expectKesError(ks.status(), 'KEYSTORE_UNREACHABLE');
      expect(err.message).toBe('kes: keystore unreachable: vault: key store is sealed');
      expect(ks.sealed).toBe(true);
      const before = fixture.emulator.requests.count();
      await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
      await expectKesError(ks.create('other', Buffer.from('v')), 'KEYSTORE_UNREACHABLE');
      expect(fixture.emulator.requests.count()).toBe(before); // no request reached Vault
    } finally {
      fixture.emulator.seal(false);
    }
    expect((await ks.status()).latencyMs).toBeGreaterThanOrEqual(0);
    expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
  });

  it('a call that meets a sealed Vault first is KEYSTORE_UNREACHABLE, and the health poll notices the unseal', async () => {
    const ks = await fixture.keystore(fixture.block({ status: { ping: '100ms' } }));
    await ks.create('k', Buffer.from('v'));
    fixture.emulator.seal(true);
    const err = await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
    expect(err.message).toMatch(/sealed/);
    fixture.emulator.seal(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(ks.sealed).toBe(false);
    expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
  });

  it('not initialised: status is KEYSTORE_UNREACHABLE "vault: not initialized"', async () => {
    const ks = await fixture.keystore();
    fixture.emulator.knobs.initialized = false;
    try {
      const err = await expectKesError(ks.status(), 'KEYSTORE_UNREACHABLE');
      expect(err.message).toBe('kes: keystore unreachable: vault: not initialized');
    } finally {
      fixture.emulator.knobs.initialized = true;
    }
  });

  it('an outage (connections reset) makes status and calls KEYSTORE_UNREACHABLE; they recover with Vault', async () => {
    const ks = await fixture.keystore();
    await ks.create('k', Buffer.from('v'));
    fixture.emulator.knobs.outage = true;
    try {
      await expectKesError(ks.status(), 'KEYSTORE_UNREACHABLE');
      await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
    } finally {
      fixture.emulator.knobs.outage = false;
    }
    await ks.status();
    expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
  });

  it('a request slower than the timeout is KEYSTORE_UNREACHABLE; an abort cancels a request in flight', async () => {
    const ks = await fixture.keystore(fixture.block(), { requestTimeoutMs: 200 });
    await ks.create('k', Buffer.from('v'));
    fixture.emulator.knobs.latencyMs = 1000;
    try {
      await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
      const reason = new Error('caller gave up');
      const controller = new AbortController();
      const call = ks.get('k', controller.signal);
      setTimeout(() => controller.abort(reason), 50);
      await expect(call).rejects.toBe(reason);
    } finally {
      fixture.emulator.knobs.latencyMs = 0;
    }
  });

  it('status sends sys/health without the namespace header and without a token', async () => {
    const f = new VaultFixture({ namespaces: ['ns1'] });
    await f.start();
    try {
      const ks = await f.keystore(f.block({ namespace: 'ns1' }));
      await ks.status();
      const health = f.emulator.requests.entries().filter((e) => e.path === '/v1/sys/health');
      expect(health.length).toBeGreaterThan(0);
      expect(health.every((e) => e.namespace === '' && e.status === 200)).toBe(true);
    } finally {
      await f.stop();
    }
  });

  it('after close every call and status is KEYSTORE_UNREACHABLE', async () => {
    const ks = await fixture.keystore();
    await ks.create('k', Buffer.from('v'));
    await ks.close();
    await expectKesError(ks.status(), 'KEYSTORE_UNREACHABLE');
    await expectKesError(ks.get('k'), 'KEYSTORE_UNREACHABLE');
    await expectKesError(ks.list('', 0), 'KEYSTORE_UNREACHABLE');
  });
});
