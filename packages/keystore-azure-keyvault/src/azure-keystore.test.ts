import { describeKeystore } from '@kes/keystore-testkit';
import { afterAll, beforeAll } from 'vitest';
import { startTestVault, type TestVault } from './emulator-harness.spec.js';

let vault: TestVault;
beforeAll(async () => {
  vault = await startTestVault();
});
afterAll(() => vault.stop());

describeKeystore('azure.keyvault (emulator)', {
  create: async () => {
    await vault.reset();
    return vault.keystore();
  },
  capabilities: {
    binaryValues: { skip: 'Key Vault stores text: values must be UTF-8 (stored keys are ASCII base64)' },
    largeValues: { skip: "Key Vault's value limit is 25 KB (stored keys are a few hundred bytes)" },
    names: { skip: "Key Vault secret names cannot contain '_' (the storable edge names are tested in names.test.ts)" },
    caseSensitiveNames: { skip: 'Key Vault secret names are case-insensitive: k and K are one secret' },
  },
  timeoutMs: 60_000,
});
