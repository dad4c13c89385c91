/** Test support: a plain SDK client on the emulator, to write secrets the way someone else (or upstream KES) would. */
import { SecretClient } from '@azure/keyvault-secrets';
import type { Emulator } from '@kes/azure-keyvault-emulator';
import { emulatorCredential } from './emulator-harness.spec.js';

/** A `SecretClient` on the emulator's first vault, trusting its CA. */
export function clientFor(emu: Emulator): SecretClient {
  return new SecretClient(emu.vaultUrl, emulatorCredential(emu), { disableChallengeResourceVerification: true, tlsOptions: { ca: emu.caPem } });
}
