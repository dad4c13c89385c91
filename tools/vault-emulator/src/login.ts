/**
 * What the login methods (AppRole, Kubernetes) share: a role's token settings with Vault's defaults, and the answer
 * to a successful login.
 */
import { envelope, type Answer } from './http-io.js';
import type { TokenSettings } from './options.js';
import type { MountRequest } from './routing-types.js';
import { authBlock } from './token-routes.js';
import type { TokenStore } from './tokens.js';

/** A login role: its name (a policy of the tokens it issues) and the settings of those tokens. */
export interface LoginRole extends Required<TokenSettings> {
  readonly name: string;
}

/** `settings` with Vault's defaults filled in: TTL 3600 s, no max TTL, renewable. */
export function tokenSettings(settings: TokenSettings): Required<TokenSettings> {
  return {
    tokenTtlSeconds: settings.tokenTtlSeconds ?? 3600,
    tokenMaxTtlSeconds: settings.tokenMaxTtlSeconds ?? 0,
    renewable: settings.renewable ?? true,
  };
}

/**
 * Issues the token of a successful login on `auth/<mountPath>/login` (in the request's namespace, policies
 * `default` and the role's name, the role's token settings, `meta` as metadata).
 * @returns the login answer: the `auth` block of the new token.
 */
export function loginAnswer(req: MountRequest, tokens: TokenStore, mountPath: string, role: LoginRole, meta: Record<string, string>): Answer {
  const info = tokens.issue({
    namespace: req.namespace,
    path: `auth/${mountPath}/login`,
    policies: ['default', role.name],
    ttlSeconds: role.tokenTtlSeconds,
    maxTtlSeconds: role.tokenMaxTtlSeconds,
    renewable: role.renewable,
    meta,
  });
  return envelope({ auth: authBlock(info) });
}
