import { describeKeystore } from '@kes/keystore-testkit';
import { afterAll, beforeAll } from 'vitest';
import { KV_TEXT_ONLY_CAPABILITIES, VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

describeKeystore('vault K/V v1 (emulator)', {
  create: () => fixture.keystore(fixture.block({ engine: 'kv1', version: 'v1' })),
  capabilities: {
    ...KV_TEXT_ONLY_CAPABILITIES,
    concurrentCreate: { skip: 'K/V v1 has no check-and-set: concurrent creates of one name race and the last write wins (as in upstream KES)' },
  },
});
