import { Errors, type KesError } from '@kes/core';
import { SEALED_DETAIL } from './translate-error.js';

/** The state `sys/health` reports. */
export interface VaultHealth {
  readonly initialized: boolean;
  readonly sealed: boolean;
}

/**
 * Reads a `sys/health` answer. node-vault resolves health calls with the body whatever the status, so an error
 * body (e.g. `{"errors":["unsupported path"]}` from a namespaced call, or a proxy's HTML page) must be told apart.
 * @returns the state, or undefined when `body` does not carry boolean `initialized` and `sealed`. Never throws.
 */
export function parseHealth(body: unknown): VaultHealth | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { initialized, sealed } = body as { initialized?: unknown; sealed?: unknown };
  if (typeof initialized !== 'boolean' || typeof sealed !== 'boolean') return undefined;
  return { initialized, sealed };
}

/**
 * The error for an unusable health state (KES: not initialised or sealed = unreachable).
 * @returns `KEYSTORE_UNREACHABLE`, or undefined when Vault is initialised and unsealed. Never throws.
 */
export function healthError(health: VaultHealth): KesError | undefined {
  if (!health.initialized) return Errors.keystoreUnreachable('vault: not initialized');
  if (health.sealed) return Errors.keystoreUnreachable(SEALED_DETAIL);
  return undefined;
}
