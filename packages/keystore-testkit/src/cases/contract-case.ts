import type { Keystore } from '@kes/core';
import type { KeystoreCapability } from '../types.js';

/** One contract test: runs against a fresh, empty keystore and throws (an assertion error) on a violation. */
export interface ContractCase {
  readonly title: string;
  readonly run: (keystore: Keystore) => Promise<void>;
}

/** A group of cases; a group with a `capability` can be switched off by the backend. */
export interface ContractGroup {
  readonly title: string;
  readonly capability?: KeystoreCapability;
  /** Default timeout of the group's tests in ms (for groups that do a lot of I/O). */
  readonly timeoutMs?: number;
  readonly cases: readonly ContractCase[];
}
