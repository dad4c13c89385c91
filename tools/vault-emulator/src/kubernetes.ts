/**
 * A Kubernetes auth mount with one role: `login` with `{role, jwt}`. Real Vault asks the Kubernetes TokenReview API;
 * the emulator instead verifies the JWT's signature against public keys the test gives it (and `exp`/`nbf`), then
 * checks the role's bound service-account names and namespaces against the token's claims.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';
import { errors, NOT_AN_OBJECT, objectBody, PERMISSION_DENIED, type Answer } from './http-io.js';
import { loginAnswer, tokenSettings, type LoginRole } from './login.js';
import type { KubernetesOptions } from './options.js';
import { cleanPath, type MountRequest } from './routing-types.js';
import type { TokenStore } from './tokens.js';

/** The role of a Kubernetes mount plus the keys service-account tokens are verified with. */
export interface KubernetesRole extends LoginRole {
  /** Verification keys; a test may add keys while the emulator runs. */
  readonly keys: KeyObject[];
  readonly boundNames: readonly string[];
  readonly boundNamespaces: readonly string[];
}

/** One Kubernetes auth mount. */
export class KubernetesMount {
  readonly type = 'kubernetes';

  constructor(
    readonly path: string,
    readonly role: KubernetesRole,
  ) {}

  /** Builds the role from the emulator options (shared by every Kubernetes mount). */
  static role(options: KubernetesOptions = {}): KubernetesRole {
    return {
      name: options.role ?? 'kes',
      keys: (options.publicKeys ?? []).map((k) => (typeof k === 'string' ? createPublicKey(k) : k)),
      boundNames: options.boundServiceAccountNames ?? ['*'],
      boundNamespaces: options.boundNamespaces ?? ['*'],
      ...tokenSettings(options),
    };
  }

  /** Handles `auth/<mount>/login`. */
  async handle(req: MountRequest, tokens: TokenStore): Promise<Answer> {
    if (cleanPath(req.path) !== 'login' || req.operation !== 'update') return errors(405, 'unsupported operation');
    const body = objectBody(req.body);
    if (body === undefined) return NOT_AN_OBJECT;
    const role = body['role'];
    const jwt = body['jwt'];
    if (typeof role !== 'string' || role === '') return errors(400, 'missing role');
    if (typeof jwt !== 'string' || jwt === '') return errors(400, 'missing jwt');
    if (role !== this.role.name) return errors(400, `invalid role name "${role}"`);
    if (!(await this.#verified(jwt))) return PERMISSION_DENIED;
    const account = serviceAccount(jwt);
    if (account === undefined) return errors(403, 'could not find service account name and namespace in the JWT');
    if (!bound(this.role.boundNames, account.name)) return errors(403, 'service account name not authorized');
    if (!bound(this.role.boundNamespaces, account.namespace)) return errors(403, 'namespace not authorized');
    return loginAnswer(req, tokens, this.path, this.role, {
      role: this.role.name,
      service_account_name: account.name,
      service_account_namespace: account.namespace,
    });
  }

  async #verified(jwt: string): Promise<boolean> {
    for (const key of this.role.keys) {
      try {
        await jwtVerify(jwt, key);
        return true;
      } catch {
        // try the next key
      }
    }
    return false;
  }
}

/** The service account of a (verified) token: legacy secret-token claims or projected-token claims. */
function serviceAccount(jwt: string): { name: string; namespace: string } | undefined {
  const claims = decodeJwt(jwt) as Record<string, unknown>;
  const legacyName = claims['kubernetes.io/serviceaccount/service-account.name'];
  const legacyNs = claims['kubernetes.io/serviceaccount/namespace'];
  if (typeof legacyName === 'string' && typeof legacyNs === 'string') return { name: legacyName, namespace: legacyNs };
  const projected = claims['kubernetes.io'] as { namespace?: unknown; serviceaccount?: { name?: unknown } } | undefined;
  const name = projected?.serviceaccount?.name;
  const namespace = projected?.namespace;
  return typeof name === 'string' && typeof namespace === 'string' ? { name, namespace } : undefined;
}

function bound(list: readonly string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}
