/**
 * Shared set-up of the Vault contract files: one emulator per file, and keystores built from a `keystore.vault`
 * block (through the package's own validator, as the server does) with a fresh prefix per keystore, so that every
 * keystore starts empty.
 */
import { validateVaultBlock, VaultKeystore, type VaultKeystoreConfig, type VaultKeystoreOptions } from '@kes/keystore-vault';
import type { CapabilitySetting, KeystoreCapability } from '@kes/keystore-testkit';
import { startVaultEmulator, type VaultEmulator, type VaultEmulatorOptions } from '@kes/vault-emulator';

/** Renewal tuning for tests: quick retries, no adoption delay worth waiting for. */
export const FAST_TOKENS: NonNullable<VaultKeystoreOptions['tokens']> = {
  minRenewDelayMs: 200,
  backoff: { initialMs: 100, maxMs: 1000, random: () => 0.5 },
  adoptDelayMaxMs: 0,
};

/**
 * The testkit capabilities both K/V engines (v1 and v2) lack: an entry holds JSON text, so values that are not UTF-8
 * are refused. The transit engine stores any bytes (transit.contract.ts runs these cases).
 */
export const KV_TEXT_ONLY_CAPABILITIES: Partial<Record<KeystoreCapability, CapabilitySetting>> = {
  binaryValues: { skip: 'K/V entries hold JSON text; non-UTF-8 values are refused (transit stores any bytes, see transit.contract.ts)' },
  largeValues: { skip: "the suite's 64 KiB value is random bytes, not UTF-8 text (transit.contract.ts runs it)" },
};

/** Validates `block` like the server does. @throws Error listing the problems when it is invalid. */
export function configFrom(block: Record<string, unknown>): VaultKeystoreConfig {
  const result = validateVaultBlock(block);
  if (!result.ok) throw new Error(`invalid vault block: ${result.problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);
  return result.config;
}

/** One emulator and a factory of keystores against it. */
export class VaultFixture {
  #emulator: VaultEmulator | undefined;
  #count = 0;
  readonly #keystores = new Set<VaultKeystore>();

  constructor(private readonly options: VaultEmulatorOptions = {}) {}

  /** The running emulator. @throws Error before {@link VaultFixture.start}. */
  get emulator(): VaultEmulator {
    if (!this.#emulator) throw new Error('the emulator is not started');
    return this.#emulator;
  }

  /** Starts the emulator (call in `beforeAll`). */
  async start(): Promise<void> {
    this.#emulator = await startVaultEmulator(this.options);
  }

  /** Closes every keystore this fixture made and stops the emulator (call in `afterAll`). */
  async stop(): Promise<void> {
    await Promise.all([...this.#keystores].map((k) => k.close()));
    await this.#emulator?.stop();
  }

  /** A `keystore.vault` block for this emulator (K/V v2 at `kv`, AppRole login, a fresh prefix), plus `extra` fields. */
  block(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const e = this.emulator;
    return {
      endpoint: e.address,
      engine: 'kv',
      version: 'v2',
      prefix: `contract/run-${process.pid}/ks-${++this.#count}`,
      approle: { id: e.approle.roleId, secret: e.approle.secretId },
      ...extra,
    };
  }

  /** Opens (and starts) a keystore for `block` (default {@link VaultFixture.block}). */
  async keystore(block: Record<string, unknown> = this.block(), options: VaultKeystoreOptions = {}): Promise<VaultKeystore> {
    const keystore = await VaultKeystore.open(configFrom(block), { requestTimeoutMs: 5000, tokens: FAST_TOKENS, ...options });
    this.#keystores.add(keystore);
    return keystore;
  }

  /** A raw Vault API call with the root token (to look behind the keystore's back). */
  async raw(method: string, path: string, options: { body?: unknown; namespace?: string } = {}): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.emulator.address}/v1/${path}`, {
      method,
      headers: {
        'X-Vault-Token': this.emulator.rootToken,
        ...(options.namespace ? { 'X-Vault-Namespace': options.namespace } : {}),
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }
}

/** Waits until `check` returns true (polling every 20 ms) or fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
