import { describeKeystore } from '@kes/keystore-testkit';
import { afterAll, beforeAll } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

describeKeystore('vault K/V v2 (emulator)', {
  create: () => fixture.keystore(fixture.block({ engine: 'kv', version: 'v2' })),
  capabilities: {
    binaryValues: { skip: 'K/V entries hold JSON text; non-UTF-8 values are refused (transit stores any bytes, see transit.contract.ts)' },
    largeValues: { skip: "the suite's 64 KiB value is random bytes, not UTF-8 text (transit.contract.ts runs it)" },
  },
});
