/**
 * The contract suite against a real Vault, when its address and AppRole credentials are in the environment
 * (see docs/vault.md "Testing against a real Vault"). Every keystore gets a unique prefix; every test deletes the
 * keys it made.
 */
import { randomBytes } from 'node:crypto';
import { VaultKeystore } from '@kes/keystore-vault';
import { describeKeystore } from '@kes/keystore-testkit';
import { describe, expect, it } from 'vitest';
import { configFrom } from './vault-fixture.js';

const env = process.env;
const enabled = Boolean(env['VAULT_ADDR'] && env['VAULT_APPROLE_ROLE_ID'] && env['VAULT_APPROLE_SECRET_ID']);
const run = randomBytes(4).toString('hex');
let count = 0;

function block(): Record<string, unknown> {
  const tls = { ca: env['VAULT_CACERT'], cert: env['VAULT_CLIENT_CERT'], key: env['VAULT_CLIENT_KEY'] };
  return {
    endpoint: env['VAULT_ADDR'],
    engine: env['VAULT_KV_ENGINE'] ?? 'kv',
    version: env['VAULT_KV_VERSION'] ?? 'v2',
    namespace: env['VAULT_NAMESPACE'] ?? '',
    prefix: `kes-contract-${run}/ks-${++count}`,
    approle: { engine: env['VAULT_APPROLE_ENGINE'] ?? 'approle', id: env['VAULT_APPROLE_ROLE_ID'], secret: env['VAULT_APPROLE_SECRET_ID'] },
    ...(env['VAULT_TRANSIT_KEY'] ? { transit: { engine: env['VAULT_TRANSIT_ENGINE'] ?? 'transit', key: env['VAULT_TRANSIT_KEY'] } } : {}),
    ...(tls.ca || tls.cert ? { tls: Object.fromEntries(Object.entries(tls).filter(([, v]) => v)) } : {}),
  };
}

const blocks = new WeakMap<VaultKeystore, Record<string, unknown>>();

async function open(b = block()): Promise<VaultKeystore> {
  const ks = await VaultKeystore.open(configFrom(b), { requestTimeoutMs: 15_000 });
  blocks.set(ks, b);
  return ks;
}

/** Deletes every key under the keystore's prefix (with a second keystore: the suite already closed the first). */
async function cleanUp(closed: VaultKeystore): Promise<void> {
  const b = blocks.get(closed);
  if (!b) return;
  const ks = await open(b);
  try {
    for (let page = await ks.list('', 0); ; page = await ks.list(page.continueAt, 0)) {
      for (const name of page.names) await ks.delete(name);
      if (page.continueAt === '') break;
    }
  } finally {
    await ks.close();
  }
}

describe.skipIf(!enabled)('real Vault (VAULT_ADDR)', () => {
  describeKeystore('vault (real)', {
    create: () => open(),
    cleanup: cleanUp,
    timeoutMs: 60_000,
    capabilities: {
      listPageCap: { skip: 'creates 1030 keys; too slow and too noisy for a shared Vault' },
      ...(env['VAULT_TRANSIT_KEY'] ? {} : {
        binaryValues: { skip: 'without VAULT_TRANSIT_KEY values are stored as text' },
        largeValues: { skip: 'without VAULT_TRANSIT_KEY values are stored as text' },
      }),
      ...((env['VAULT_KV_VERSION'] ?? 'v2') === 'v1' ? { concurrentCreate: { skip: 'K/V v1 has no check-and-set' } } : {}),
    },
  });

  it('status reports Vault as reachable and unsealed', async () => {
    const ks = await open();
    try {
      expect((await ks.status()).latencyMs).toBeGreaterThanOrEqual(0);
    } finally {
      await ks.close();
    }
  });
});
