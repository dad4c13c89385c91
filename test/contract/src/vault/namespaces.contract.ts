import { expectKesError } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture({ namespaces: ['ns1', 'ns1/team'] });
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

const e = () => fixture.emulator;

describe('vault namespaces (emulator)', () => {
  it('stores keys in the configured namespace (X-Vault-Namespace on every call but health)', async () => {
    const block = fixture.block({ namespace: 'ns1/team' });
    const ks = await fixture.keystore(block);
    e().requests.clear();
    await ks.create('k', Buffer.from('v'));
    const kv = e().requests.entries().filter((r) => r.path.startsWith('/v1/kv/'));
    expect(kv.length).toBe(2); // pre-read and write
    expect(kv.every((r) => r.namespace === 'ns1/team')).toBe(true);
    const path = `kv/data/${String(block['prefix'])}/k`;
    expect((await fixture.raw('GET', path, { namespace: 'ns1/team' })).status).toBe(200);
    expect((await fixture.raw('GET', path)).status).toBe(404);
    expect((await fixture.raw('GET', path, { namespace: 'ns1' })).status).toBe(404);
    await ks.status();
  });

  it('approle.namespace logs in elsewhere: "" = the client namespace, a name = that one, "/" = root', async () => {
    for (const [authNs, expected] of [['', 'ns1/team'], ['ns1', 'ns1'], ['/', '']] as const) {
      e().requests.clear();
      const block = fixture.block({ namespace: 'ns1/team', approle: { id: e().approle.roleId, secret: e().approle.secretId, namespace: authNs } });
      const ks = await fixture.keystore(block);
      await ks.create('k', Buffer.from(authNs));
      expect(Buffer.from(await ks.get('k')).toString()).toBe(authNs);
      const logins = e().requests.entries().filter((r) => r.path === '/v1/auth/approle/login');
      expect(logins.map((r) => r.namespace), `approle.namespace '${authNs}'`).toEqual([expected]);
    }
  });

  it('a token from a child namespace is refused in the parent: the 403 is reported, without a login loop', async () => {
    const block = fixture.block({ namespace: 'ns1', approle: { id: e().approle.roleId, secret: e().approle.secretId, namespace: 'ns1/team' } });
    const ks = await fixture.keystore(block);
    e().requests.clear();
    const err = await expectKesError(ks.get('k'), 'READ_KEY_FAILED');
    expect(String(err.cause)).toMatch(/permission denied/);
    expect(e().requests.count({ path: '/auth/approle/login' })).toBeLessThanOrEqual(1);
  });
});
