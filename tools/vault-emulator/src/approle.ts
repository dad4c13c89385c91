/**
 * An AppRole auth mount with one role (`kes` unless configured): `login` with `{role_id, secret_id}`, and for token
 * holders `role/<name>/role-id` (read) and `role/<name>/secret-id` (issue a new secret ID).
 */
import { randomUUID } from 'node:crypto';
import { envelope, errors, NOT_AN_OBJECT, objectBody, PERMISSION_DENIED, type Answer } from './http-io.js';
import { loginAnswer, tokenSettings, type LoginRole } from './login.js';
import type { AppRoleOptions } from './options.js';
import { cleanPath, type MountRequest } from './routing-types.js';
import type { TokenStore } from './tokens.js';

/** The role of an AppRole mount. */
export interface AppRoleRole extends LoginRole {
  readonly roleId: string;
  /** Valid secret IDs; a revoked one is removed. */
  readonly secretIds: Set<string>;
}

/** Vault's answer to a wrong role ID or secret ID. */
export const INVALID_ROLE_OR_SECRET = 'invalid role or secret ID';

/** One AppRole mount. */
export class AppRoleMount {
  readonly type = 'approle';

  constructor(
    readonly path: string,
    readonly role: AppRoleRole,
  ) {}

  /** Builds the mount's role from the emulator options (one role shared by every AppRole mount). */
  static role(options: AppRoleOptions = {}): AppRoleRole {
    return {
      name: 'kes',
      roleId: options.roleId ?? randomUUID(),
      secretIds: new Set([options.secretId ?? randomUUID()]),
      ...tokenSettings(options),
    };
  }

  /** Handles `auth/<mount>/<path>`; `login` needs no token, the rest does. */
  handle(req: MountRequest, tokens: TokenStore): Answer {
    const path = cleanPath(req.path);
    if (path === 'login' && req.operation === 'update') return this.#login(req, tokens);
    if (req.token === undefined) return PERMISSION_DENIED;
    if (path === `role/${this.role.name}/role-id` && req.operation === 'read') return envelope({ data: { role_id: this.role.roleId } });
    if (path === `role/${this.role.name}/secret-id` && req.operation === 'update') {
      const secretId = randomUUID();
      this.role.secretIds.add(secretId);
      return envelope({ data: { secret_id: secretId, secret_id_accessor: randomUUID(), secret_id_ttl: 0, secret_id_num_uses: 0 } });
    }
    if (path.startsWith('role/')) return errors(404);
    return errors(405, 'unsupported operation');
  }

  #login(req: MountRequest, tokens: TokenStore): Answer {
    const body = objectBody(req.body);
    if (body === undefined) return NOT_AN_OBJECT;
    const roleId = body['role_id'];
    const secretId = body['secret_id'];
    if (typeof roleId !== 'string' || roleId === '') return errors(400, 'missing role_id');
    if (roleId !== this.role.roleId) return errors(400, INVALID_ROLE_OR_SECRET);
    if (typeof secretId !== 'string' || secretId === '') return errors(400, 'missing secret_id');
    if (!this.role.secretIds.has(secretId)) return errors(400, INVALID_ROLE_OR_SECRET);
    return loginAnswer(req, tokens, this.path, this.role, { role_name: this.role.name });
  }
}
