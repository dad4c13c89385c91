import type { Knobs } from './knobs.js';
import type { SecretStore, StoredSecret } from './secret-store.js';

/** What an operation handler gets besides its input. */
export interface OpContext {
  readonly store: SecretStore;
  readonly knobs: Knobs;
  /** The emulator's clock (epoch ms, knob `clockSkewMs` applied) at the time of the request. */
  readonly now: number;
}

/** Epoch seconds as AWS sends timestamps (a JSON number with a fraction). */
export const epochSeconds = (ms: number): number => ms / 1000;

/** True iff the secret is scheduled for deletion (with a recovery window or a pending forced delete). */
export const isDeleting = (secret: StoredSecret): boolean => secret.deletedMs !== undefined;

/** `{"ARN", "Name"}` of a secret. */
export const arnAndName = (secret: StoredSecret) => ({ ARN: secret.arn, Name: secret.name });
