/**
 * Test support (not a test file; excluded from the build like every `*.spec.ts`): the emulator with the real SDK
 * credential configured as shared/spec/azure-keyvault.md §4.1 says, and keystores on it with short test timings.
 */
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, type Emulator, type EmulatorOptions } from '@kes/azure-keyvault-emulator';
import { AzureKeyVaultKeystore, type AzureKeyVaultKeystoreOptions } from './azure-keystore.js';
import type { AzureKeyVaultTiming } from './retry.js';

/** Short pauses so that conflict and backoff paths run fast; budgets stay the defaults. */
export const FAST_TIMING: Partial<AzureKeyVaultTiming> = { conflictDelayMs: 10, backoffBaseMs: 20, backoffMaxMs: 200 };

/** A client-secret credential for the emulator's primary app. */
export function emulatorCredential(emu: Emulator): ClientSecretCredential {
  return new ClientSecretCredential(emu.tenantId, emu.clientId, emu.clientSecret, {
    authorityHost: emu.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: emu.caPem },
  });
}

/** A running emulator and a factory of keystores on its first vault (one shared credential, so one token). */
export interface TestVault {
  emu: Emulator;
  /** A new keystore on the vault; `warnings` collects what it warns. */
  keystore(overrides?: Partial<AzureKeyVaultKeystoreOptions>): AzureKeyVaultKeystore;
  warnings: string[];
  /** Forgets every secret, restores the default knobs and clears the request log. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts an emulator with one vault. */
export async function startTestVault(options: EmulatorOptions = {}): Promise<TestVault> {
  const emu = await startEmulator({ vaults: ['kes-test'], ...options });
  const credential = emulatorCredential(emu);
  const warnings: string[] = [];
  return {
    emu,
    warnings,
    keystore: (overrides = {}) =>
      new AzureKeyVaultKeystore({
        endpoint: emu.vaultUrl,
        credential,
        ca: emu.caPem,
        disableChallengeResourceVerification: true,
        warn: (m) => warnings.push(m),
        ...overrides,
        timing: { ...FAST_TIMING, ...overrides.timing },
      }),
    async reset() {
      await emu.vault().resetKnobs();
      emu.vault().clearSecrets();
      emu.vault().clearRequests();
      warnings.length = 0;
    },
    stop: () => emu.stop(),
  };
}

/** The vault requests of the log as `METHOD path` (query removed), authenticated ones only. */
export function vaultCalls(emu: Emulator): string[] {
  return emu
    .vault()
    .requests()
    .filter((r) => r.authenticated)
    .map((r) => `${r.method} ${r.url.split('?')[0]}`);
}
