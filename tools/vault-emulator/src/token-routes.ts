/**
 * The built-in token auth paths a client uses on itself: `auth/token/lookup-self`, `renew-self` (increment in
 * seconds or as a duration such as `1h`; 0 = the creation TTL) and `revoke-self`; plus the `auth` block that every
 * login answer carries.
 */
import { envelope, errors, NO_CONTENT, objectBody, PERMISSION_DENIED, type Answer } from './http-io.js';
import type { MountRequest } from './routing-types.js';
import type { TokenInfo, TokenStore } from './tokens.js';

/**
 * The `auth` block of a login or renewal answer; `leaseSeconds` is the TTL just granted (a login: the creation TTL).
 */
export function authBlock(info: TokenInfo, leaseSeconds: number = info.ttlSeconds): Record<string, unknown> {
  return {
    client_token: info.id,
    accessor: info.accessor,
    policies: [...info.policies],
    token_policies: [...info.policies],
    metadata: { ...info.meta },
    lease_duration: leaseSeconds,
    renewable: info.renewable && info.ttlSeconds > 0,
    entity_id: '',
    token_type: 'service',
    orphan: true,
    mfa_requirement: null,
    num_uses: 0,
  };
}

/**
 * Handles `auth/token/<path>` for the caller's own token (`req.token`, already checked by the router).
 * Unknown paths answer 405.
 */
export function handleTokenSelf(req: MountRequest, store: TokenStore): Answer {
  const token = req.token;
  if (token === undefined) return PERMISSION_DENIED;
  switch (`${req.operation} ${req.path}`) {
    case 'read lookup-self':
    case 'update lookup-self':
      return envelope({ data: lookupData(token, store) });
    case 'update renew-self': {
      const increment = parseIncrement(objectBody(req.body)?.['increment']);
      if (increment === undefined) return errors(400, 'invalid increment');
      const result = store.renew(token.id, increment);
      if (result === 'invalid') return PERMISSION_DENIED;
      if (result === 'not-renewable') return errors(400, 'lease is not renewable');
      return envelope({ auth: authBlock(result.info, result.leaseSeconds), ...(result.warning ? { warnings: [result.warning] } : {}) });
    }
    case 'update revoke-self':
      store.revoke(token.id);
      return NO_CONTENT;
    default:
      return errors(405, 'unsupported operation');
  }
}

function lookupData(t: TokenInfo, store: TokenStore): Record<string, unknown> {
  return {
    accessor: t.accessor,
    creation_time: Math.floor(t.issuedAt / 1000),
    creation_ttl: t.ttlSeconds,
    display_name: t.path.replace(/\/login$/, '').replace(/^auth\//, '').replace(/\//g, '-'),
    entity_id: '',
    expire_time: Number.isFinite(t.expiresAt) ? new Date(t.expiresAt).toISOString() : null,
    explicit_max_ttl: 0,
    id: t.id,
    issue_time: new Date(t.issuedAt).toISOString(),
    meta: Object.keys(t.meta).length > 0 ? { ...t.meta } : null,
    num_uses: 0,
    orphan: true,
    path: t.path,
    policies: [...t.policies],
    renewable: t.renewable && t.ttlSeconds > 0,
    ttl: store.ttlLeft(t),
    type: 'service',
    namespace_path: t.namespace === '' ? '' : `${t.namespace}/`,
  };
}

/** `increment` as Vault accepts it: absent, a number of seconds, or a duration text (`90`, `90s`, `5m`, `1h`). */
function parseIncrement(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}
