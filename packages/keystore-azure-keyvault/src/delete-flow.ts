import { Errors } from '@kes/core';
import { classify } from './classify.js';
import type { FlowContext } from './create-flow.js';
import { conflictPause, remaining, sleep, type Budget } from './retry.js';
import { explainFailure, operationFailed } from './translate.js';

/**
 * Deletes the secret `name` like upstream KES: `DELETE /secrets/{name}` (soft delete; 404 → `KEY_NOT_FOUND`), then
 * purge, retried (bounded) while Key Vault still reports the delete in progress (409 `ObjectIsBeingDeleted`).
 *
 * The key counts as deleted once the soft delete succeeded: a purge that is still refused when the attempts or the
 * budget run out, a purge refused by purge protection, or a purge lost to a connection failure end the call
 * successfully with a warning (a later create of the name purges it, or says when Key Vault will). A purge refused
 * for a missing `purge` permission is an error that names the permission.
 *
 * @param warn - receives the warnings (never secrets).
 * @throws KesError `KEY_NOT_FOUND`; an operation failure (via the caller's translation) for anything else.
 */
export async function deleteSecret(ctx: FlowContext, name: string, budget: Budget, warn: (message: string) => void): Promise<void> {
  try {
    await ctx.calls.softDelete(name, budget);
  } catch (err) {
    if (classify(err) === 'not-found') throw Errors.keyNotFound();
    throw err;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.calls.purge(name, budget);
      return;
    } catch (err) {
      if (budget.signal?.aborted) throw budget.signal.reason;
      const kind = classify(err);
      if (kind === 'not-found') return; // already purged, or Key Vault purges it itself (KES: 404 is success)
      if (kind === 'being-deleted') {
        const ms = conflictPause(ctx.timing, ctx.random);
        if (attempt < ctx.timing.deletePurgeAttempts && ms < remaining(budget)) {
          await sleep(ms, budget.signal);
          continue;
        }
        warn(`azure: key '${name}' was deleted, but Key Vault had not finished the delete in time to purge it; a later create of '${name}' purges it`);
        return;
      }
      if (kind === 'purge-protected') {
        const date = await ctx.calls.scheduledPurgeDate(name, budget).catch(() => undefined);
        warn(
          `azure: key '${name}' was deleted; the vault has purge protection, so the name '${name}' cannot be used again ` +
            `${date === undefined ? 'until Key Vault purges it' : `before ${date.toISOString()}`} (or until the deleted secret is recovered)`,
        );
        return;
      }
      if (kind === 'network') {
        warn(`azure: key '${name}' was deleted, but purging it failed: ${explainFailure(err, kind)}; a later create of '${name}' purges it`);
        return;
      }
      throw operationFailed('delete', name, `the secret was deleted (it is soft-deleted and no longer served), but purging it failed: ${explainFailure(err, kind)}`, err);
    }
  }
}
