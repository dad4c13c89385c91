import { describeKeystore } from '@kes/keystore-testkit';
import { afterAll, beforeAll } from 'vitest';
import { KV_TEXT_ONLY_CAPABILITIES, VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

describeKeystore('vault K/V v2 (emulator)', {
  create: () => fixture.keystore(fixture.block({ engine: 'kv', version: 'v2' })),
  capabilities: KV_TEXT_ONLY_CAPABILITIES,
});
