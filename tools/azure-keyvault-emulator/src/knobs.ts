/**
 * Per-vault fault knobs: their type, defaults and the strict validation of patches coming from options, the
 * admin endpoint or the in-process handle. A patch is all-or-nothing: an invalid field rejects the whole patch.
 */

/** Secret permissions of a Key Vault access policy (one per operation family). */
export const SECRET_PERMISSIONS = ['get', 'list', 'set', 'delete', 'purge', 'recover', 'backup', 'restore'] as const;
/** One secret permission. */
export type SecretPermission = (typeof SECRET_PERMISSIONS)[number];

/** How a vault is unreachable: connection refused, connection reset, or accepted and never answered. */
export type Outage = 'none' | 'refused' | 'reset' | 'hang';

/** 429 simulation. Without `afterRequests` and `rate`, every request is throttled. */
export interface ThrottleKnob {
  /** Serve this many requests normally, then throttle (counted from when the knob was set). */
  afterRequests?: number;
  /** Stop throttling after this many 429 answers (default: never stop). */
  times?: number;
  /** Sliding-window limit like the real service: more than `limit` requests in `windowMs` are throttled. */
  rate?: { limit: number; windowMs: number };
  /** Send `Retry-After: <n>`; omitted → no header (the real service sent none in the one captured case). */
  retryAfterSeconds?: number;
}

/** Every knob of one vault. */
export interface Knobs {
  /** Soft-delete window: DELETE answers 200 at once, the deleted secret is visible only after this delay (§2.6). */
  deleteDelayMs: number;
  /** Purge window: purge answers 204 at once, the name is reusable only after this delay. */
  purgeDelayMs: number;
  /** Recover window: recover answers 200 at once, the secret is readable only after this delay. */
  recoverDelayMs: number;
  /** Purge protection: purge → 403 and `recoveryLevel` without `+Purgeable`. */
  purgeProtection: boolean;
  /** Soft-delete retention, 7–90 days (`recoverableDays`, `scheduledPurgeDate`). */
  recoverableDays: number;
  /** Access-policy permissions granted to every caller; a missing one → 403 `ForbiddenByPolicy`. */
  permissions: SecretPermission[];
  /** Operations denied by RBAC → 403 `ForbiddenByRbac`. */
  rbacDenied: SecretPermission[];
  /** 429 simulation, or null. */
  throttle: ThrottleKnob | null;
  /** Added latency before every answer, milliseconds. */
  latencyMs: number;
  /** Outage mode. */
  outage: Outage;
  /** Read-only (failover) mode: writes → 403. */
  readOnly: boolean;
  /** Vault firewall blocks the caller's address: every authenticated request → 403 `ForbiddenByFirewall`. */
  firewall: boolean;
  /** Empty pages (`{"value":[],"nextLink":…}`) served before the first real page of every list, like the real service. */
  emptyPages: number;
  /** Accepted api-versions; null → every known version. */
  apiVersions: string[] | null;
}

/** The defaults: a healthy, immediate, fully permitted vault. */
export function defaultKnobs(): Knobs {
  return {
    deleteDelayMs: 0,
    purgeDelayMs: 0,
    recoverDelayMs: 0,
    purgeProtection: false,
    recoverableDays: 7,
    permissions: [...SECRET_PERMISSIONS],
    rbacDenied: [],
    throttle: null,
    latencyMs: 0,
    outage: 'none',
    readOnly: false,
    firewall: false,
    emptyPages: 0,
    apiVersions: null,
  };
}

/** Thrown for an invalid knob patch; the message names the field. */
export class KnobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnobError';
  }
}

const MAX_MS = 600_000;

function int(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new KnobError(`${field} must be an integer between ${min} and ${max}`);
  return v;
}

function bool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new KnobError(`${field} must be a boolean`);
  return v;
}

function permissions(field: string, v: unknown): SecretPermission[] {
  if (!Array.isArray(v)) throw new KnobError(`${field} must be an array of ${SECRET_PERMISSIONS.join('|')}`);
  const out = new Set<SecretPermission>();
  for (const p of v) {
    if (typeof p !== 'string' || !(SECRET_PERMISSIONS as readonly string[]).includes(p.toLowerCase()))
      throw new KnobError(`${field} contains an unknown permission: ${JSON.stringify(p)}`);
    out.add(p.toLowerCase() as SecretPermission);
  }
  return [...out];
}

function throttle(v: unknown): ThrottleKnob | null {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new KnobError('throttle must be an object or null');
  const t: ThrottleKnob = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (k === 'afterRequests') t.afterRequests = int('throttle.afterRequests', val, 0, 1e9);
    else if (k === 'times') t.times = int('throttle.times', val, 1, 1e9);
    else if (k === 'retryAfterSeconds') t.retryAfterSeconds = int('throttle.retryAfterSeconds', val, 0, 3600);
    else if (k === 'rate') {
      if (typeof val !== 'object' || val === null || Array.isArray(val)) throw new KnobError('throttle.rate must be {limit, windowMs}');
      const r = val as Record<string, unknown>;
      if (Object.keys(r).some((x) => x !== 'limit' && x !== 'windowMs')) throw new KnobError('throttle.rate must be {limit, windowMs}');
      t.rate = { limit: int('throttle.rate.limit', r['limit'], 1, 1e9), windowMs: int('throttle.rate.windowMs', r['windowMs'], 1, 3_600_000) };
    } else throw new KnobError(`unknown throttle field: ${k}`);
  }
  return t;
}

/**
 * Validates a knob patch (from JSON or code).
 * @returns the validated partial knobs (copies, safe to keep).
 * @throws KnobError naming the first invalid or unknown field.
 */
export function validateKnobPatch(input: unknown): Partial<Knobs> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new KnobError('knobs must be a JSON object');
  const out: Partial<Knobs> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    switch (k) {
      case 'deleteDelayMs':
      case 'purgeDelayMs':
      case 'recoverDelayMs':
      case 'latencyMs':
        out[k] = int(k, v, 0, MAX_MS);
        break;
      case 'purgeProtection':
      case 'readOnly':
      case 'firewall':
        out[k] = bool(k, v);
        break;
      case 'recoverableDays':
        out.recoverableDays = int(k, v, 7, 90);
        break;
      case 'permissions':
      case 'rbacDenied':
        out[k] = permissions(k, v);
        break;
      case 'throttle':
        out.throttle = throttle(v);
        break;
      case 'outage':
        if (v !== 'none' && v !== 'refused' && v !== 'reset' && v !== 'hang') throw new KnobError('outage must be none|refused|reset|hang');
        out.outage = v;
        break;
      case 'emptyPages':
        out.emptyPages = int(k, v, 0, 100);
        break;
      case 'apiVersions':
        if (v === null) out.apiVersions = null;
        else if (Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 64)) out.apiVersions = [...(v as string[])];
        else throw new KnobError('apiVersions must be null or an array of non-empty strings');
        break;
      default:
        throw new KnobError(`unknown knob: ${k}`);
    }
  }
  return out;
}

/** Returns `current` with `patch` applied (validated first). @throws KnobError like {@link validateKnobPatch}. */
export function applyKnobPatch(current: Knobs, patch: unknown): Knobs {
  return { ...current, ...validateKnobPatch(patch) };
}

/** The `recoveryLevel` a vault with these knobs reports (§2.2). */
export function recoveryLevel(k: Pick<Knobs, 'purgeProtection' | 'recoverableDays'>): string {
  const base = k.recoverableDays === 90 ? 'Recoverable' : 'CustomizedRecoverable';
  return k.purgeProtection ? base : `${base}+Purgeable`;
}
