import { expectKesError } from '@kes/keystore-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, VaultFixture } from './vault-fixture.js';

const LOGIN = '/auth/approle/login';
const RENEW = '/auth/token/renew-self';
let fixture: VaultFixture | undefined;

async function start(options: ConstructorParameters<typeof VaultFixture>[0]): Promise<VaultFixture> {
  fixture = new VaultFixture(options);
  await fixture.start();
  return fixture;
}
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

describe('vault token lifecycle (emulator)', () => {
  it('a token that expires mid-run is replaced by a transparent re-login (one login, the call succeeds)', async () => {
    const f = await start({});
    const ks = await f.keystore();
    await ks.create('k', Buffer.from('v'));
    expect(f.emulator.requests.count({ path: LOGIN })).toBe(1);
    expect(f.emulator.expireTokens()).toBeGreaterThan(0);
    const results = await Promise.all(Array.from({ length: 10 }, () => ks.get('k')));
    for (const r of results) expect(Buffer.from(r).toString()).toBe('v');
    expect(f.emulator.requests.count({ path: LOGIN })).toBe(2); // one shared re-login for ten callers
    expect(f.emulator.requests.count({ path: '/auth/token/lookup-self' })).toBe(1); // one validity check
  });

  it('renews a renewable token at a fraction of its TTL, without re-login and without flooding', async () => {
    const f = await start({ approle: { tokenTtlSeconds: 3 } });
    const ks = await f.keystore(f.block(), { tokens: { renewFraction: 0.5, minRenewDelayMs: 200 } });
    await ks.create('k', Buffer.from('v'));
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
      await new Promise((r) => setTimeout(r, 250));
    }
    const renewals = f.emulator.requests.count({ path: RENEW, status: 200 });
    expect(renewals).toBeGreaterThanOrEqual(2); // every ~1.5 s for 5 s
    expect(renewals).toBeLessThanOrEqual(5);
    expect(f.emulator.requests.count({ path: LOGIN })).toBe(1);
    expect(f.emulator.requests.count({ status: 403 })).toBe(0); // the token never lapsed
  }, 15_000);

  it('logs in again when renewal hits max_ttl, adopting the new token before the old one lapses', async () => {
    const f = await start({ approle: { tokenTtlSeconds: 4, tokenMaxTtlSeconds: 6 } });
    const ks = await f.keystore(f.block(), { tokens: { renewFraction: 0.5, minRenewDelayMs: 200, adoptDelayMaxMs: 100 } });
    await ks.create('k', Buffer.from('v'));
    await eventually(() => f.emulator.requests.count({ path: LOGIN }) >= 2, 8000, 'a re-login after max_ttl');
    expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
    expect(f.emulator.requests.count({ status: 403 })).toBe(0);
    expect(f.emulator.requests.count({ path: LOGIN })).toBeLessThanOrEqual(3);
  }, 15_000);

  it('logs in again (instead of renewing) when the token is not renewable', async () => {
    const f = await start({ approle: { tokenTtlSeconds: 2, renewable: false } });
    const ks = await f.keystore(f.block(), { tokens: { renewFraction: 0.5, minRenewDelayMs: 200, adoptDelayMaxMs: 100 } });
    await ks.create('k', Buffer.from('v'));
    await eventually(() => f.emulator.requests.count({ path: LOGIN }) >= 2, 4000, 'a scheduled re-login');
    expect(f.emulator.requests.count({ path: RENEW })).toBe(0);
    expect(Buffer.from(await ks.get('k')).toString()).toBe('v');
  });

  it('a 403 from a policy (token still valid) is reported as is, without a re-login', async () => {
    const f = await start({});
    const ks = await f.keystore();
    await ks.create('k', Buffer.from('v'));
    f.emulator.knobs.faults.push({ method: 'GET', path: 'kv/', status: 403, errors: ['permission denied'], times: 1 });
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(String(err.cause)).toMatch(/permission denied \(HTTP 403\)/);
    expect(f.emulator.requests.count({ path: LOGIN })).toBe(1);
  });
});
