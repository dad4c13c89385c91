/**
 * The keystore contract (testkit) for azure.keyvault: against the emulator always, and against a real vault when
 * AZURE_KEYVAULT_ENDPOINT, AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET are set (docs/azure-keyvault.md,
 * "Run the contract suite against a real vault"). The real run puts every secret under a random prefix and deletes
 * (and purges) what it created.
 */
import { ClientSecretCredential } from '@azure/identity';
import type { Emulator } from '@kes/azure-keyvault-emulator';
import { AzureKeyVaultKeystore } from '@kes/keystore-azure-keyvault';
import { describeKeystore } from '@kes/keystore-testkit';
import { afterAll, beforeAll, describe } from 'vitest';
import { emulatorCredential, emulatorKeystore, PrefixedKeystore, realVaultSettings, startAzureEmulator } from './azure-fixture.js';

const SKIPPED = {
  binaryValues: { skip: 'Key Vault stores text: values must be UTF-8 (stored keys are ASCII base64)' },
  largeValues: { skip: "Key Vault's value limit is 25 KB (stored keys are a few hundred bytes)" },
  names: { skip: "Key Vault secret names cannot contain '_' (refused before any call, see the package's names tests)" },
  caseSensitiveNames: { skip: 'Key Vault secret names are case-insensitive: k and K are one secret' },
} as const;

describe('azure.keyvault against the emulator', () => {
  let emu: Emulator;
  let credential: ClientSecretCredential;
  beforeAll(async () => {
    emu = await startAzureEmulator();
    credential = emulatorCredential(emu);
  });
  afterAll(() => emu.stop());

  describeKeystore('azure.keyvault (emulator, empty pages like the real service, 20 ms latency)', {
    create: async () => {
      emu.vault().clearSecrets();
      await emu.vault().setKnobs({ emptyPages: 2, latencyMs: 20 });
      return emulatorKeystore(emu, credential);
    },
    capabilities: SKIPPED,
    timeoutMs: 120_000,
  });
});

const real = realVaultSettings();

describe.skipIf(!real)('azure.keyvault against a real vault', () => {
  const credential = real ? new ClientSecretCredential(real.tenantId, real.clientId, real.clientSecret) : undefined;
  // Real deletes take 2–15 s before a purge goes through: give every call more room than the server would.
  const keystore = () =>
    new AzureKeyVaultKeystore({ endpoint: real!.endpoint, credential: credential!, timing: { operationTimeoutMs: 45_000, statusTimeoutMs: 10_000 } });
  let n = 0;

  afterAll(async () => {
    const cleaner = keystore();
    const left = await cleaner.list(real!.runPrefix, Infinity).then((r) => r.names, () => [] as string[]);
    for (const name of left) await cleaner.delete(name).catch(() => undefined);
  }, 600_000);

  describeKeystore('azure.keyvault (real vault)', {
    create: () => new PrefixedKeystore(keystore(), `${real!.runPrefix}${n++}-`),
    cleanup: async (ks) => {
      const cleaner = new PrefixedKeystore(keystore(), (ks as PrefixedKeystore).prefix);
      for (const name of (await cleaner.list('', Infinity)).names) await cleaner.delete(name).catch(() => undefined);
    },
    capabilities: { ...SKIPPED, listPageCap: { skip: 'creating and purging 1030 secrets in a real vault takes too long and costs requests' } },
    timeoutMs: 300_000,
  });
});
