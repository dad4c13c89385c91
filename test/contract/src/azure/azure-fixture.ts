/**
 * Support of the Azure Key Vault contract tests: the emulator with the real SDK credential (configuration only, as
 * shared/spec/azure-keyvault.md §4.1), keystores on it, a plain SDK client (to write secrets like someone else would),
 * the settings of a real vault from the environment, and a name-prefixing keystore for runs against a shared vault.
 */
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator, type EmulatorOptions } from '@kes/azure-keyvault-emulator';
import { listPage, type Keystore, type KeystoreStatus, type ListResult } from '@kes/core';
import { AzureKeyVaultKeystore, type AzureKeyVaultKeystoreOptions } from '@kes/keystore-azure-keyvault';

/** Short pauses between conflict retries and backoffs; the budgets stay the production defaults. */
export const FAST_TIMING = { conflictDelayMs: 10, backoffBaseMs: 20, backoffMaxMs: 200 } as const;

/** Starts an emulator with one vault named `kes-contract`. */
export function startAzureEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ vaults: ['kes-contract'], ...options });
}

/** The emulator's primary app as a `ClientSecretCredential` (authority host, no instance discovery, its CA). */
export function emulatorCredential(emu: Emulator): ClientSecretCredential {
  return new ClientSecretCredential(emu.tenantId, emu.clientId, emu.clientSecret, {
    authorityHost: emu.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: emu.caPem },
  });
}

/** A keystore on the emulator's first vault. */
export function emulatorKeystore(emu: Emulator, credential: TokenCredential, overrides: Partial<AzureKeyVaultKeystoreOptions> = {}): AzureKeyVaultKeystore {
  return new AzureKeyVaultKeystore({
    endpoint: emu.vaultUrl,
    credential,
    ca: emu.caPem,
    disableChallengeResourceVerification: true,
    ...overrides,
    timing: { ...FAST_TIMING, ...overrides.timing },
  });
}

/** A plain SDK client on the emulator's first vault. */
export function sdkClient(emu: Emulator, credential: TokenCredential = emulatorCredential(emu)): SecretClient {
  return new SecretClient(emu.vaultUrl, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca: emu.caPem } });
}

/** The authenticated vault requests of the emulator's log as `METHOD /path` (query removed). */
export function vaultRequests(emu: Emulator): string[] {
  return emu
    .vault()
    .requests()
    .filter((r) => r.authenticated)
    .map((r) => `${r.method} ${r.url.split('?')[0]}`);
}

/** A real vault and an app registration allowed to use it (Get, List, Set, Delete, Purge). */
export interface RealVaultSettings {
  endpoint: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Prefix of every secret this run creates: `kes-contract-<random>-`. */
  runPrefix: string;
}

/**
 * The real vault from `AZURE_KEYVAULT_ENDPOINT`, `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`, or
 * `undefined` when any is missing (the real-vault suites are then skipped).
 */
export function realVaultSettings(env: NodeJS.ProcessEnv = process.env): RealVaultSettings | undefined {
  const endpoint = env['AZURE_KEYVAULT_ENDPOINT'];
  const tenantId = env['AZURE_TENANT_ID'];
  const clientId = env['AZURE_CLIENT_ID'];
  const clientSecret = env['AZURE_CLIENT_SECRET'];
  if (!endpoint || !tenantId || !clientId || !clientSecret) return undefined;
  return { endpoint, tenantId, clientId, clientSecret, runPrefix: `kes-contract-${Math.random().toString(36).slice(2, 8)}-` };
}

/**
 * A keystore that stores every name under `prefix` in `inner` and lists only its own names, so that a suite can run
 * in a vault that holds other secrets (and its cleanup can find what it left).
 */
export class PrefixedKeystore implements Keystore {
  constructor(
    readonly inner: Keystore,
    readonly prefix: string,
  ) {}
  create(name: string, value: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.inner.create(this.prefix + name, value, signal);
  }
  get(name: string, signal?: AbortSignal): Promise<Uint8Array> {
    return this.inner.get(this.prefix + name, signal);
  }
  delete(name: string, signal?: AbortSignal): Promise<void> {
    return this.inner.delete(this.prefix + name, signal);
  }
  async list(prefix: string, limit: number, signal?: AbortSignal): Promise<ListResult> {
    const all = await this.inner.list(this.prefix + prefix, Infinity, signal);
    return listPage(all.names.map((n) => n.slice(this.prefix.length)), prefix, limit);
  }
  status(signal?: AbortSignal): Promise<KeystoreStatus> {
    return this.inner.status(signal);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
