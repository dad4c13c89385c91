import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCa, issueServerCertificate } from './ca.js';
import { parseCli } from './cli.js';
import { isVaultError } from './errors.js';
import { isRejection, TokenSigner } from './jwt.js';
import { applyKnobPatch, defaultKnobs, KnobError, recoveryLevel, validateKnobPatch } from './knobs.js';
import { Throttler } from './throttle.js';
import { VaultStore } from './vault-store.js';

describe('CA', () => {
  it('issues a one-year server certificate for the default names (Azure hosts included) from a ten-year CA', async () => {
    const ca = await createCa();
    const tls = await issueServerCertificate(ca);
    const caCert = new X509Certificate(ca.certPem);
    const leaf = new X509Certificate(tls.certPem);
    expect(caCert.subject).toBe('CN=KES Azure Key Vault Emulator CA');
    expect(tls.ca).toBe(ca);
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.subjectAltName?.split(', ').sort()).toEqual(['DNS:*.localhost', 'DNS:*.vault.azure.net', 'DNS:localhost', 'IP Address:0:0:0:0:0:0:0:1', 'IP Address:127.0.0.1']);
    expect(leaf.checkHost('myvault.vault.azure.net')).toBe('*.vault.azure.net');
    const days = (until: string): number => Math.round((Date.parse(until) - Date.now()) / 86_400_000);
    expect(days(caCert.validTo)).toBe(3650);
    expect(days(leaf.validTo)).toBe(365);
  });
});

describe('tokens', () => {
  it('verifies its own tokens and rejects everything else without throwing', async () => {
    let now = 1_800_000_000_000;
    const signer = await TokenSigner.create({ now: () => now });
    const { token } = await signer.issue({ tenantId: 't', appId: 'a', objectId: 'o', audience: 'https://vault.azure.net', lifetimeSeconds: 60 });
    const ok = await signer.verify(token, ['https://vault.azure.net'], 'https://sts.windows.net/t/');
    expect(ok).toMatchObject({ tenantId: 't', appId: 'a', objectId: 'o' });
    expect(await signer.verify(token, ['x'], 'https://sts.windows.net/t/')).toEqual({ kind: 'audience', found: 'https://vault.azure.net' });
    expect(await signer.verify(token, ['https://vault.azure.net'], 'https://sts.windows.net/u/')).toMatchObject({ kind: 'issuer' });
    now += 61_000;
    expect(await signer.verify(token, ['https://vault.azure.net'], 'https://sts.windows.net/t/')).toMatchObject({ kind: 'expired' });
    const restored = await TokenSigner.create({ privateJwk: signer.exportPrivateJwk(), now: () => now - 61_000 });
    expect(isRejection(await restored.verify(token, ['https://vault.azure.net'], 'https://sts.windows.net/t/'))).toBe(false);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (garbage) => {
        const r = await signer.verify(garbage, ['https://vault.azure.net'], 'https://sts.windows.net/t/');
        expect(isRejection(r)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe('knobs', () => {
  it('validates patches strictly and all-or-nothing', () => {
    expect(applyKnobPatch(defaultKnobs(), { deleteDelayMs: 5, permissions: ['GET'] })).toMatchObject({ deleteDelayMs: 5, permissions: ['get'] });
    for (const bad of [null, [], 'x', { nope: 1 }, { deleteDelayMs: -1 }, { deleteDelayMs: 1.5 }, { recoverableDays: 6 }, { outage: 'down' }, { permissions: ['fly'] }, { throttle: { rate: { limit: 0, windowMs: 1 } } }, { throttle: { x: 1 } }, { apiVersions: [1] }]) {
      expect(() => validateKnobPatch(bad)).toThrow(KnobError);
    }
    fc.assert(fc.property(fc.anything(), (v) => {
      try {
        validateKnobPatch(v);
      } catch (e) {
        expect(e).toBeInstanceOf(KnobError);
      }
    }));
    expect(recoveryLevel({ purgeProtection: false, recoverableDays: 7 })).toBe('CustomizedRecoverable+Purgeable');
    expect(recoveryLevel({ purgeProtection: false, recoverableDays: 90 })).toBe('Recoverable+Purgeable');
    expect(recoveryLevel({ purgeProtection: true, recoverableDays: 30 })).toBe('CustomizedRecoverable');
  });
});

describe('throttler', () => {
  it('throttles after N, for a number of times, and by sliding window', () => {
    const t = new Throttler({ afterRequests: 2, times: 2, retryAfterSeconds: 3 });
    expect([0, 1, 2, 3, 4].map((i) => t.check(i).throttled)).toEqual([false, false, true, true, false]);
    expect(t.check(5)).toEqual({ throttled: false });
    t.reset({ rate: { limit: 2, windowMs: 100 } });
    expect([0, 10, 20, 99, 101, 111].map((i) => t.check(i).throttled)).toEqual([false, false, true, true, false, false]);
    expect(t.throttledCount).toBe(2);
    t.reset({});
    expect(t.check(0)).toEqual({ throttled: true, retryAfterSeconds: undefined });
  });
});

describe('vault store lifecycle (fake clock)', () => {
  it('walks active → deleting → deleted → purging → gone, and deleted → recovering → active', () => {
    let now = 1_000_000;
    const knobs = { ...defaultKnobs(), deleteDelayMs: 100, purgeDelayMs: 100, recoverDelayMs: 100 };
    const s = new VaultStore(() => knobs, () => now);
    s.set('Key', { value: 'v' });
    s.delete('key');
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        if (!isVaultError(e)) throw e;
        return e.inner ?? e.code;
      }
    };
    expect(code(() => s.getDeleted('key'))).toBe('SecretNotFound');
    expect(code(() => s.set('KEY', { value: 'x' }))).toBe('ObjectIsBeingDeleted');
    now += 100;
    expect(s.getDeleted('key').name).toBe('Key');
    expect(code(() => s.set('key', { value: 'x' }))).toBe('ObjectIsDeletedButRecoverable');
    s.recover('key');
    expect(code(() => s.get('key'))).toBe('SecretNotFound');
    now += 100;
    expect(s.get('key').version.value).toBe('v');
    s.delete('key');
    now += 100;
    s.purge('key');
    expect(code(() => s.purge('key'))).toBe('ObjectIsBeingDeleted');
    expect(code(() => s.set('key', { value: 'x' }))).toBe('ObjectIsBeingDeleted');
    now += 100;
    expect(code(() => s.set('key', { value: 'x' }))).toBe('ok');
    s.delete('key');
    now += 100 + 7 * 86_400_000;
    expect(code(() => s.getDeleted('key'))).toBe('SecretNotFound'); // auto-purged after the retention period
    expect(s.listDeleted()).toEqual([]);
  });
});

describe('command line', () => {
  it('parses options, including the --json=true form Nx forwards', () => {
    const c = parseCli(['--json=true', '--vault', 'a', '--vault', 'b', '--port', '8443', '--knobs', '{"deleteDelayMs":5}'], '/tmp/x');
    expect(c.json).toBe(true);
    expect(c.options.vaults).toEqual([{ name: 'a', knobs: { deleteDelayMs: 5 }, port: 8443 }, { name: 'b', knobs: { deleteDelayMs: 5 } }]);
    expect(c.options.stateDir).toBe('/tmp/x');
    expect(() => parseCli(['--port', 'x'], '/tmp')).toThrow(/port/);
    expect(() => parseCli(['--knobs', '{"bogus":1}'], '/tmp')).toThrow(/unknown knob/);
    expect(() => parseCli(['--what'], '/tmp')).toThrow();
  });
});
