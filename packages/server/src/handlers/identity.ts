/**
 * The identity routes (spec §2.3 with §12): identities are the admin and the identities assigned to policies in the
 * configuration. Self-describe answers non-admins with the flat shape (B) the Go SDK parses.
 */
import { Errors, compareNames, formatTimestamp, isValidName } from '@kes/core';
import { jsonReply, type Handler } from './handler.js';
import { listPrefix } from './list-pattern.js';
import { patternMap } from './policy.js';

/**
 * `GET /v1/identity/describe/<identity>` → admin `{"admin":true,"created_at"}`, assigned
 * `{"policy","created_at","created_by"}`. Errors: 400 invalid identity, 404 `identity does not exist`.
 */
export const describeIdentity: Handler = async (ctx) => {
  const identity = ctx.match.resource;
  if (!isValidName(identity)) throw Errors.invalidIdentity(identity);
  const createdAt = formatTimestamp(ctx.services.startTime);
  if (ctx.state.adminEnabled && identity === ctx.state.admin) return jsonReply({ admin: true, created_at: createdAt });
  const policy = ctx.state.identities.get(identity);
  if (policy === undefined) throw Errors.identityNotFound();
  return jsonReply({ policy, created_at: createdAt, created_by: ctx.state.admin });
};

/**
 * `GET /v1/identity/list/<pattern>` → `{"identities":[sorted, admin included],"continue_at":""}`.
 * A disabled admin (not a 64-hex identity) is not listed. Errors: 400 invalid pattern.
 */
export const listIdentities: Handler = async (ctx) => {
  const prefix = listPrefix(ctx.match.resource);
  const all = new Set(ctx.state.identities.keys());
  if (ctx.state.adminEnabled) all.add(ctx.state.admin);
  const identities = [...all].filter((id) => id.startsWith(prefix)).sort(compareNames);
  return jsonReply({ identities, continue_at: '' });
};

/**
 * `GET /v1/identity/self/describe` (identify-only): admin → `{"identity","admin":true,"created_at"}`; an identity
 * with a policy → `{"identity","admin":false,"created_at","created_by","policy":"<name>","allow":{…},"deny":{…}}`.
 * Errors: 404 `identity does not exist` for anyone else (also without a usable certificate).
 */
export const describeSelf: Handler = async (ctx) => {
  const { identity, state } = ctx;
  const createdAt = formatTimestamp(ctx.services.startTime);
  if (identity !== '' && state.adminEnabled && identity === state.admin) {
    return jsonReply({ identity, admin: true, created_at: createdAt });
  }
  const name = identity === '' ? undefined : state.identities.get(identity);
  const entry = name === undefined ? undefined : state.policies.get(name);
  if (name === undefined || entry === undefined) throw Errors.identityNotFound();
  return jsonReply({
    identity,
    admin: false,
    created_at: createdAt,
    created_by: state.admin,
    policy: name,
    allow: patternMap(entry.policy.allow) ?? {},
    deny: patternMap(entry.policy.deny) ?? {},
  });
};
