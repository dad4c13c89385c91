import { describeKeystore } from '@kes/keystore-testkit';
import { afterAll, beforeAll } from 'vitest';
import { VaultFixture } from './vault-fixture.js';

const fixture = new VaultFixture();
beforeAll(() => fixture.start());
afterAll(() => fixture.stop());

describeKeystore('vault K/V v1 (emulator)', {
  create: () => fixture.keystore(fixture.block({ engine: 'kv1', version: 'v1' })),
  capabilities: {
    binaryValues: { skip: 'K/V entries hold JSON text; non-UTF-8 values are refused (transit stores any bytes, see transit.contract.ts)' },
    largeValues: { skip: "the suite's 64 KiB value is random bytes, not UTF-8 text (transit.contract.ts runs it)" },
    concurrentCreate: { skip: 'K/V v1 has no check-and-set: concurrent creates of one name race and the last write wins (as in upstream KES)' },
  },
});
