import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const LOGIN = '/auth/approle/login';
const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

describe('vault AppRole secret revoked (emulator)', () => {
  it('calls fail with a clear cause, status is KEYSTORE_UNAVAILABLE, logins back off; a valid secret recovers', async () => {
    const secretId = fixture.emulator.issueSecretId();
    const block = fixture.block({ approle: { id: fixture.emulator.approle.roleId, secret: secretId } });
    const ks = await fixture.keystore(block, { tokens: { backoff: { initialMs: 1000, maxMs: 1000, random: () => 0.5 } } });
    await ks.create('k', Buffer.from('v'));
    fixture.emulator.revokeSecretId(secretId);
    fixture.emulator.expireTokens();
    fixture.emulator.requests.clear();

    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    const cause = String((err.cause as Error).message);
    expect(cause).toContain('AppRole login at auth/approle/login failed: invalid role or secret ID (HTTP 400)');
    expect(cause).toContain('revoked');
    // Within the backoff window further calls get the same failure without another login.
    for (let i = 0; i < 5; i++) await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    await expectKesError(ks.create('x', Buffer.from('v')), 'CREATE_KEY_FAILED');
    expect(fixture.emulator.requests.count({ path: LOGIN })).toBe(1);
    const status = await expectKesError(ks.status(), 'KEYSTORE_UNAVAILABLE');
    expect(String((status.cause as Error).message)).toContain('invalid role or secret ID');
    await ks.close();

    const fresh = await fixture.keystore({ ...block, approle: { id: fixture.emulator.approle.roleId, secret: fixture.emulator.issueSecretId() } });
    expect(Buffer.from(await fresh.get('k')).toString()).toBe('v');
    await fresh.status();
  });

  it('a wrong role ID is reported the same way at the first call', async () => {
    const ks = await fixture.keystore(fixture.block({ approle: { id: 'no-such-role', secret: fixture.emulator.approle.secretId } }));
    const err = await expectKesError(ks.list('', 0), 'LIST_KEYS_FAILED');
    expect(String((err.cause as Error).message)).toMatch(/invalid role or secret ID \(HTTP 400\)/);
  });

  it('a missing AppRole mount is reported with a hint about the engine', async () => {
    const ks = await fixture.keystore(fixture.block({ approle: { engine: 'elsewhere', id: 'x', secret: 'y' } }));
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(String((err.cause as Error).message)).toMatch(/auth\/elsewhere\/login failed: permission denied \(HTTP 403\).*no AppRole auth method is mounted at auth\/elsewhere/);
  });
});
