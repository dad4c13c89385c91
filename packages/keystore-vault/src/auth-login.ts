import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { VaultAuthConfig } from './config.js';
import { VaultRequestError } from './vault-request-error.js';
import type { VaultTransport } from './vault-transport.js';

/** A token as Vault grants it: from a login or a renewal. */
export interface TokenGrant {
  /** The client token (a credential: never log it). */
  readonly token: string;
  /** Lease duration in ms; 0 = the token never expires (and is never renewed). */
  readonly ttlMs: number;
  /** Whether `auth/token/renew-self` may extend it. */
  readonly renewable: boolean;
}

/** What the token manager needs from Vault: log in, renew and check a token. */
export interface TokenSource {
  /** Logs in with the configured method. @throws VaultRequestError (clear message), or the signal's reason. */
  login(signal?: AbortSignal): Promise<TokenGrant>;
  /** `auth/token/renew-self` with `{"increment": 0}` (the token's default TTL). @throws VaultRequestError. */
  renew(token: string, signal?: AbortSignal): Promise<TokenGrant>;
  /** `auth/token/lookup-self`. @returns false iff Vault answered 403 (the token is not valid). @throws VaultRequestError otherwise. */
  isValid(token: string, signal?: AbortSignal): Promise<boolean>;
}

/**
 * The {@link TokenSource} of a keystore config: AppRole (`{role_id, secret_id}`) or Kubernetes (`{role, jwt}`, the
 * JWT re-read from its file on every login when the configured text contains a `/`), sent to the auth namespace.
 * Login failures are `VaultRequestError`s whose message names the method, mount and Vault's answer, with a hint.
 * @param cwd - a relative JWT file path is resolved against it.
 */
export function createTokenSource(auth: VaultAuthConfig, namespace: string | undefined, transport: VaultTransport, cwd: string): TokenSource {
  const path = `auth/${auth.engine}/login`;
  const what = auth.method === 'approle' ? 'AppRole' : 'Kubernetes';
  return {
    async login(signal) {
      const body =
        auth.method === 'approle'
          ? { role_id: auth.id, secret_id: auth.secret }
          : { role: auth.role, jwt: await readJwt(auth.jwt, cwd) };
      let answer: unknown;
      try {
        answer = await transport.write(path, body, { namespace, signal });
      } catch (err) {
        throw err instanceof VaultRequestError ? explainLoginFailure(err, what, path) : err;
      }
      return parseGrant(answer, `${what} login at ${path}`);
    },
    async renew(token, signal) {
      const answer = await transport.write('auth/token/renew-self', { increment: 0 }, { namespace, token, signal });
      return parseGrant(answer, 'token renewal');
    },
    async isValid(token, signal) {
      try {
        await transport.read('auth/token/lookup-self', { namespace, token, signal });
        return true;
      } catch (err) {
        if (err instanceof VaultRequestError && err.status === 403) return false;
        throw err;
      }
    },
  };
}

/**
 * Reads `auth.{client_token, lease_duration, renewable}` of a login or renewal answer.
 * @throws Error when the answer has no token or a malformed lease.
 */
export function parseGrant(answer: unknown, what: string): TokenGrant {
  const auth = (typeof answer === 'object' && answer !== null ? (answer as { auth?: unknown }).auth : undefined) as
    | { client_token?: unknown; lease_duration?: unknown; renewable?: unknown }
    | null
    | undefined;
  const token = auth?.client_token;
  const lease = auth?.lease_duration ?? 0;
  if (typeof token !== 'string' || token === '') throw new Error(`vault: the answer to the ${what} has no auth.client_token`);
  if (typeof lease !== 'number' || !Number.isFinite(lease) || lease < 0) {
    throw new Error(`vault: the answer to the ${what} has an invalid auth.lease_duration`);
  }
  return { token, ttlMs: lease * 1000, renewable: auth?.renewable === true };
}

async function readJwt(jwt: string, cwd: string): Promise<string> {
  if (!jwt.includes('/')) return jwt;
  const file = isAbsolute(jwt) ? jwt : resolve(cwd, jwt);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`vault: cannot read the Kubernetes service account token file '${file}': ${(err as Error).message}`);
  }
  const token = text.trim();
  if (token === '') throw new Error(`vault: the Kubernetes service account token file '${file}' is empty`);
  return token;
}

function explainLoginFailure(err: VaultRequestError, what: string, path: string): VaultRequestError {
  if (err.status === undefined) return err; // network: the message already says what happened
  const said = err.errors.length > 0 ? err.errors.join('; ').replace(/\s*\n\s*\*?\s*/g, ' ').trim() : `HTTP ${err.status}`;
  const mount = path.slice('auth/'.length, -'/login'.length);
  const credentials =
    what === 'AppRole'
      ? 'the role ID or secret ID is wrong, or the secret ID was revoked or has expired: issue a new secret ID and update approle.secret'
      : 'the role or the service account token is wrong or expired, or the role is not bound to this service account';
  const notMounted = `no ${what} auth method is mounted at auth/${mount} (in this namespace): check the engine and namespace fields`;
  const hint =
    err.status === 400
      ? credentials
      : err.status === 403
        ? `${credentials}; or ${notMounted}`
        : err.status === 404 || err.status === 405
          ? notMounted
          : 'see the Vault server log';
  const message = `vault: ${what} login at ${path} failed: ${said} (HTTP ${err.status}); ${hint}`;
  return new VaultRequestError(err.operation, err.status, err.errors, err.code, err.body, message, { cause: err });
}
