import { describeKeystore } from '@kes/keystore-testkit';
import { afterAll } from 'vitest';
import { emulatorKeystore, startEmulator } from './aws-fixture.js';

// A small page size makes every list walk several ListSecrets pages.
const emu = await startEmulator({ knobs: { pageSize: 7 } });
afterAll(() => emu.stop());

describeKeystore('aws.secretsmanager (emulator)', {
  create: () => emulatorKeystore(emu),
  cleanup: () => emu.reset(),
  timeoutMs: 60_000,
});
