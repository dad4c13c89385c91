import type { Keystore } from '@kes/core';

/**
 * The groups of the contract a backend may switch off (with a reason). The core cases (create/get/delete semantics,
 * errors, copies, status, close) are never optional.
 */
export type KeystoreCapability =
  /** Values with every byte 0x00–0xFF round-trip (string-only stores may lack this). */
  | 'binaryValues'
  /** A 64 KiB value round-trips. */
  | 'largeValues'
  /** Edge names of the KES name rules (1 and 80 bytes, `-`, `_`, digits, upper case) round-trip. */
  | 'names'
  /** `k` and `K` are different keys. */
  | 'caseSensitiveNames'
  /** Sorted listing, prefixes, limits and `continueAt` paging. */
  | 'list'
  /** `limit <= 0` caps a page at 1024 names (creates 1030 keys). */
  | 'listPageCap'
  /** Concurrent creates of one name: exactly one wins (atomic create-if-absent). */
  | 'concurrentCreate'
  /** A call with an already aborted signal rejects with the signal's reason and changes nothing. */
  | 'abort';

/** How a backend declares a capability: supported (`true`, the default) or switched off with a reason. */
export type CapabilitySetting = true | { readonly skip: string };

/** Options of {@link describeKeystore}. */
export interface DescribeKeystoreOptions<K extends Keystore = Keystore> {
  /** Returns a fresh, empty, open keystore. Called once per test. */
  create: () => K | Promise<K>;
  /** Capabilities switched off, each with a reason shown in the skipped tests' titles. Default: everything on. */
  capabilities?: Partial<Record<KeystoreCapability, CapabilitySetting>>;
  /** Runs after each test, after the suite closed the store (remove temp dirs, reset an emulator, …). */
  cleanup?: (keystore: K) => void | Promise<void>;
  /** Per-test timeout in ms for slow (remote) backends. Default: vitest's, raised for the page-cap group. */
  timeoutMs?: number;
}
