/**
 * Authorization (spec §3.3, §4): the admin may do everything; any other identity needs a policy that allows the
 * decoded request path (deny first). Denials are logged at DEBUG only.
 */
import { Errors } from '@kes/core';
import type { ServerState } from '../context.js';
import type { ErrorLog } from '../log/error-log.js';

/**
 * Checks that `identity` may access `path`.
 * @throws KesError `NOT_ALLOWED` (403 `prohibited by policy`) when the identity is neither the admin nor assigned to a
 *   policy, or its policy does not allow the path.
 */
export function authorize(state: ServerState, identity: string, path: string, log: ErrorLog): void {
  if (identity !== '' && state.adminEnabled && identity === state.admin) return;
  const name = state.identities.get(identity);
  const entry = name === undefined ? undefined : state.policies.get(name);
  if (name === undefined || entry === undefined) {
    log.debug('access denied: identity not found', [['req.path', path], ['req.identity', identity]]);
    throw Errors.notAllowed();
  }
  if (!entry.policy.verify(path)) {
    log.debug(`access denied: rejected by policy '${name}'`, [['req.path', path], ['req.identity', identity]]);
    throw Errors.notAllowed();
  }
}
