import { Errors, isKesError } from '@kes/core';
import { classify } from './classify.js';
import { conflictPause, remaining, sleep, type AzureKeyVaultTiming, type Budget } from './retry.js';
import { explainFailure, operationFailed } from './translate.js';
import { oldestVersion, type VaultCalls } from './vault-calls.js';

/** What the create flow needs besides the requests. */
export interface FlowContext {
  readonly calls: VaultCalls;
  readonly timing: AzureKeyVaultTiming;
  readonly random: () => number;
}

/**
 * Creates the secret `name` holding `text`, with KES's semantics on a store that has no create-if-absent:
 *
 * 1. Existence check (`GET` latest): an existing secret, also a disabled one or one whose name differs only in
 *    case (Key Vault names are case-insensitive), → `KEY_EXISTS`.
 * 2. `PUT`. A soft-deleted secret holding the name (409 `ObjectIsDeletedButRecoverable`/`ObjectIsBeingDeleted`) is
 *    purged first, with bounded retries while its deletion is still in progress, then the `PUT` is retried
 *    (bounded) while the purge completes. Purge protection → an error naming the scheduled purge date.
 * 3. Winner check: concurrent creators (other nodes) may all pass step 1 and each add a version. Every reader
 *    serves the **oldest** version, so this create succeeded iff the oldest version is ours (same version id, or
 *    the same value when our `PUT` was retried); otherwise → `KEY_EXISTS`, and our newer version is never served.
 *
 * @throws KesError `KEY_EXISTS`; an operation failure (via the caller's translation) for anything else.
 */
export async function createSecret(ctx: FlowContext, name: string, text: string, budget: Budget): Promise<void> {
  try {
    await ctx.calls.latest(name, budget);
    throw Errors.keyExists();
  } catch (err) {
    if (isKesError(err)) throw err;
    const kind = classify(err);
    if (kind === 'disabled') throw Errors.keyExists();
    if (kind !== 'not-found') throw err;
  }
  const ours = await setClearingDeleted(ctx, name, text, budget);
  const oldest = oldestVersion(await ctx.calls.versions(name, budget));
  if (oldest === undefined) {
    throw operationFailed('create', name, 'the secret was deleted by someone else right after it was written');
  }
  if (oldest.version === ours) return;
  let winner: string;
  try {
    winner = (await ctx.calls.version(name, oldest.version, budget)).value;
  } catch (err) {
    if (classify(err) === 'disabled') throw Errors.keyExists();
    throw err;
  }
  if (winner !== text) throw Errors.keyExists();
}

/** `PUT` with the conflict handling of step 2. @returns the new version id. */
async function setClearingDeleted(ctx: FlowContext, name: string, text: string, budget: Budget): Promise<string> {
  let purged = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.calls.set(name, text, budget);
    } catch (err) {
      const kind = classify(err);
      if (kind !== 'deleted-recoverable' && kind !== 'being-deleted') throw err;
      if (attempt >= ctx.timing.createSetAttempts) throw err;
      if (kind === 'deleted-recoverable' || !purged) {
        await purgeForCreate(ctx, name, budget);
        purged = true;
      } else {
        await pause(ctx, budget, err);
      }
    }
  }
}

/** Purges the soft-deleted secret `name`, retrying while its deletion is in progress. 404 = nothing to purge. */
async function purgeForCreate(ctx: FlowContext, name: string, budget: Budget): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.calls.purge(name, budget);
      return;
    } catch (err) {
      const kind = classify(err);
      if (kind === 'not-found') return;
      if (kind === 'being-deleted' && attempt < ctx.timing.createPurgeAttempts) {
        await pause(ctx, budget, err);
        continue;
      }
      if (kind === 'purge-protected') throw await purgeProtected(ctx, name, budget, err);
      if (kind === 'forbidden-policy' || kind === 'forbidden-rbac') {
        throw operationFailed('create', name, `a deleted secret of this name is still in the vault and cannot be purged: ${explainFailure(err, kind)}`, err);
      }
      throw err;
    }
  }
}

/** The create failure for a name held by a deleted secret under purge protection, with the scheduled purge date. */
async function purgeProtected(ctx: FlowContext, name: string, budget: Budget, err: unknown): Promise<Error> {
  const date = await ctx.calls.scheduledPurgeDate(name, budget).catch(() => undefined);
  const when =
    date === undefined
      ? 'wait until Key Vault purges it at the end of its retention period (Key Vault did not say when)'
      : `wait until ${date.toISOString()}, when Key Vault purges it (its scheduled purge date)`;
  return operationFailed(
    'create',
    name,
    `the name is held by a deleted secret that cannot be purged because the vault has purge protection enabled; ` +
      `recover the deleted secret in the vault, or ${when}`,
    err,
  );
}

/** Waits before another purge or set attempt; throws `err` instead when the pause does not fit the budget. */
async function pause(ctx: FlowContext, budget: Budget, err: unknown): Promise<void> {
  const ms = conflictPause(ctx.timing, ctx.random);
  if (ms >= remaining(budget)) throw err;
  await sleep(ms, budget.signal);
}
