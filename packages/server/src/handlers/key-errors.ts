/**
 * How keystore and crypto failures become API errors (spec §2.5): the catalog errors a client can act on pass through
 * unchanged (`key does already exist`, `key does not exist`, `decryption failed: …`), everything else becomes the
 * route's generic 5xx (`failed to create key`, …) with the original error kept as `cause` for the error log.
 * A request's own abort reason (timeout, client gone) always passes through.
 */
import { Errors, isKesError, isValidName, type KesError, type KesErrorCode, type StoredKey } from '@kes/core';
import type { RequestContext } from '../context.js';
import { isRequestAbort } from '../http/abort.js';

function mapError(err: unknown, pass: readonly KesErrorCode[], wrap: (cause: unknown) => KesError): unknown {
  if (isRequestAbort(err)) return err;
  if (isKesError(err) && pass.includes(err.code)) return err;
  return wrap(err);
}

/** A failed keystore `create`: `KEY_EXISTS` passes, anything else is `502 failed to create key`. */
export function createFailure(err: unknown): unknown {
  return mapError(err, ['KEY_EXISTS'], Errors.createKeyFailed);
}

/** A failed key lookup: `KEY_NOT_FOUND` and the cache's `READ_KEY_FAILED` pass, anything else is wrapped in the latter. */
export function readFailure(err: unknown): unknown {
  return mapError(err, ['KEY_NOT_FOUND', 'READ_KEY_FAILED'], Errors.readKeyFailed);
}

/** A failed keystore `delete`: `KEY_NOT_FOUND` passes, anything else is `502 failed to delete key`. */
export function deleteFailure(err: unknown): unknown {
  return mapError(err, ['KEY_NOT_FOUND'], Errors.deleteKeyFailed);
}

/** A failed keystore `list`: always `502 failed to list keys`. */
export function listFailure(err: unknown): unknown {
  return mapError(err, [], Errors.listKeysFailed);
}

/**
 * The request's key name (the route resource), validated by spec §2.2.
 * @throws KesError `INVALID_KEY_NAME` (400) when invalid.
 */
export function requireKeyName(ctx: RequestContext): string {
  const name = ctx.match.resource;
  if (!isValidName(name)) throw Errors.invalidKeyName(name);
  return name;
}

/**
 * The key `name` through the cache: the cached key itself when there is one (the common case, answered without a
 * promise or an abortable fetch), else a fetch.
 * @throws KesError (rejects with) `KEY_NOT_FOUND` (404) or `READ_KEY_FAILED` (502); the request's abort reason when
 *   aborted.
 */
export function loadKey(ctx: RequestContext, name: string): StoredKey | Promise<StoredKey> {
  return ctx.state.cache.peek(name) ?? fetchKey(ctx, name);
}

async function fetchKey(ctx: RequestContext, name: string): Promise<StoredKey> {
  try {
    return await ctx.state.cache.get(name, ctx.signal);
  } catch (err) {
    throw readFailure(err);
  }
}
