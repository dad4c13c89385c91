/**
 * Decoders of the JSON answers of spec §2.3 into the client's types. Each takes the parsed JSON value and throws
 * `INVALID_RESPONSE` (a {@link KesClientError}) on a malformed shape; none throws anything else.
 */
import type {
  ApiInfo,
  IdentityInfo,
  KeyInfo,
  PolicyDocument,
  PolicyInfo,
  SelfInfo,
  ServerStatus,
  ServerVersion,
} from './types.js';
import { asArray, asObject, bool, field, invalid, num, optStr, patterns, requiredStr, str, type JsonObject, type Where } from './json.js';

/** Sets `target[prop]` for each optional string field `wire` of `o` that is present and non-empty; returns `target`. */
function optionalFields<T extends object>(target: T, o: JsonObject, where: Where, keys: Record<string, keyof T>): T {
  for (const [wire, prop] of Object.entries(keys)) {
    const value = optStr(o, wire, where);
    if (value !== undefined) (target as Record<keyof T, unknown>)[prop] = value;
  }
  return target;
}

/** The answer's `name`, or the `requested` name when it is absent, null or "". */
function nameOr(o: JsonObject, where: Where, requested: string): string {
  return str(o, 'name', where) || requested;
}

/** `{"version","commit"}`. */
export function decodeVersion(v: unknown, where: Where): ServerVersion {
  const o = asObject(v, where);
  return { version: str(o, 'version', where), commit: str(o, 'commit', where) };
}

/** `/v1/status`; `keystore_unavailable` is implied by `keystore_unreachable`. Negative CPU counts are rejected. */
export function decodeStatus(v: unknown, where: Where): ServerStatus {
  const o = asObject(v, where);
  const cpus = num(o, 'num_cpu', where);
  const usableCpus = num(o, 'num_cpu_used', where);
  if (cpus < 0 || usableCpus < 0) throw invalid(where, 'negative number of CPUs');
  const unreachable = bool(o, 'keystore_unreachable', where);
  const status: ServerStatus = {
    version: str(o, 'version', where),
    os: str(o, 'os', where),
    arch: str(o, 'arch', where),
    uptimeSeconds: num(o, 'uptime', where),
    cpus,
    usableCpus,
    heapAlloc: num(o, 'mem_heap_used', where),
    stackAlloc: num(o, 'mem_stack_used', where),
    keystoreUnreachable: unreachable,
    keystoreUnavailable: unreachable || bool(o, 'keystore_unavailable', where),
  };
  const latency = field(o, 'keystore_latency');
  if (latency !== undefined && latency !== null) status.keystoreLatencyMs = num(o, 'keystore_latency', where);
  return status;
}

/** `/v1/api`: an array of `{"method","path","max_body","timeout"}`. Negative sizes/timeouts are rejected. */
export function decodeApis(v: unknown, where: Where): ApiInfo[] {
  return asArray(v, where).map((item) => {
    const o = asObject(item, where);
    const api = {
      method: str(o, 'method', where),
      path: str(o, 'path', where),
      maxBody: num(o, 'max_body', where),
      timeoutSeconds: num(o, 'timeout', where),
    };
    if (api.maxBody < 0 || api.timeoutSeconds < 0) throw invalid(where, `negative limit for '${api.path}'`);
    return api;
  });
}

/** `/v1/key/describe/<name>`; the algorithm must be non-empty (as the Go SDK requires). */
export function decodeKeyInfo(v: unknown, where: Where, name: string): KeyInfo {
  const o = asObject(v, where);
  const info: KeyInfo = {
    name: nameOr(o, where, name),
    algorithm: requiredStr(o, 'algorithm', where),
    createdAt: str(o, 'created_at', where, '0001-01-01T00:00:00Z'),
  };
  return optionalFields(info, o, where, { created_by: 'createdBy' });
}

/** `/v1/policy/describe/<name>`. */
export function decodePolicyInfo(v: unknown, where: Where, name: string): PolicyInfo {
  const o = asObject(v, where);
  const info: PolicyInfo = { name: nameOr(o, where, name), createdAt: str(o, 'created_at', where) };
  return optionalFields(info, o, where, { created_by: 'createdBy' });
}

/** `/v1/policy/read/<name>` (map or legacy array patterns). */
export function decodePolicy(v: unknown, where: Where, name: string): PolicyDocument {
  const o = asObject(v, where);
  const doc: PolicyDocument = { name: nameOr(o, where, name), allow: patterns(o, 'allow', where), deny: patterns(o, 'deny', where) };
  return optionalFields(doc, o, where, { created_at: 'createdAt', created_by: 'createdBy' });
}

/** `/v1/identity/describe/<identity>`. */
export function decodeIdentityInfo(v: unknown, where: Where, identity: string): IdentityInfo {
  const o = asObject(v, where);
  const info: IdentityInfo = { identity, admin: bool(o, 'admin', where) };
  return optionalFields(info, o, where, {
    policy: 'policy',
    created_at: 'createdAt',
    created_by: 'createdBy',
    ttl: 'ttl',
    expires_at: 'expiresAt',
  });
}

/** `/v1/identity/self/describe`: shape B (flat), A (`policy_name` + nested policy) or C (nested policy with `name`). */
export function decodeSelf(v: unknown, where: Where): SelfInfo {
  const o = asObject(v, where);
  const info: SelfInfo = {
    identity: str(o, 'identity', where),
    admin: bool(o, 'admin', where),
    allow: patterns(o, 'allow', where),
    deny: patterns(o, 'deny', where),
  };
  optionalFields(info, o, where, { created_at: 'createdAt', created_by: 'createdBy', policy_name: 'policyName' });
  const policy = field(o, 'policy');
  if (typeof policy === 'string') {
    if (policy !== '') info.policyName = policy;
  } else if (policy !== undefined && policy !== null) {
    const p = asObject(policy, where);
    const name = optStr(p, 'name', where);
    if (name !== undefined) info.policyName = name;
    info.allow = patterns(p, 'allow', where);
    info.deny = patterns(p, 'deny', where);
  }
  return info;
}
