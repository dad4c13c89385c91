/**
 * The policy routes (spec §2.3): policies come from the configuration only; they were "created" at server start by
 * the admin identity.
 */
import { Errors, compareNames, formatTimestamp, isValidName } from '@kes/core';
import type { PolicyEntry, RequestContext } from '../context.js';
import { jsonReply, type Handler } from './handler.js';
import { listPrefix } from './list-pattern.js';

/** `{"<pattern>":{},…}` as KES encodes allow/deny sets, or `undefined` (omitted) when empty. */
export function patternMap(patterns: readonly string[]): Record<string, object> | undefined {
  return patterns.length === 0 ? undefined : Object.fromEntries(patterns.map((p) => [p, {}]));
}

function lookupPolicy(ctx: RequestContext): [string, PolicyEntry] {
  const name = ctx.match.resource;
  if (!isValidName(name)) throw Errors.invalidPolicyName(name);
  const entry = ctx.state.policies.get(name);
  if (entry === undefined) throw Errors.policyNotFound();
  return [name, entry];
}

/** `GET /v1/policy/describe/<name>` → `{"name","created_at","created_by"}`. Errors: 400 invalid name, 404. */
export const describePolicy: Handler = async (ctx) => {
  const [name] = lookupPolicy(ctx);
  return jsonReply({
    name,
    created_at: formatTimestamp(ctx.services.startTime),
    created_by: ctx.state.admin,
  });
};

/** `GET /v1/policy/read/<name>` → `{"name","allow":{…},"deny":{…},"created_at","created_by"}`. Errors: 400, 404. */
export const readPolicy: Handler = async (ctx) => {
  const [name, entry] = lookupPolicy(ctx);
  return jsonReply({
    name,
    allow: patternMap(entry.policy.allow),
    deny: patternMap(entry.policy.deny),
    created_at: formatTimestamp(ctx.services.startTime),
    created_by: ctx.state.admin,
  });
};

/** `GET /v1/policy/list/<pattern>` → `{"names":[sorted],"continue_at":""}`. Errors: 400 invalid pattern. */
export const listPolicies: Handler = async (ctx) => {
  const prefix = listPrefix(ctx.match.resource);
  const names = [...ctx.state.policies.keys()].filter((n) => n.startsWith(prefix)).sort(compareNames);
  return jsonReply({ names, continue_at: '' });
};
