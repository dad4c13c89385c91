/**
 * Vault-side authentication (shared/spec/azure-keyvault.md §3.1, §4.1): a request without a bearer token gets the
 * 401 challenge `Bearer authorization="<authority>/<tenant>", resource="https://vault.azure.net"` before its body
 * is read; a token is accepted only if its signature, expiry, not-before, audience and issuer (tenant) are valid.
 */
import type { IncomingMessage } from 'node:http';
import type { Caller } from './access.js';
import { KEY_VAULT_AUDIENCES, KEY_VAULT_RESOURCE } from './constants.js';
import { VaultError, VaultErrors } from './errors.js';
import { header } from './http-util.js';
import { isRejection, issuerFor, type TokenSigner } from './jwt.js';

/** The `WWW-Authenticate` value of every vault 401. The SDK reads the tenant from the authorization URL's path. */
export function challengeHeader(authorityHost: string, tenantId: string): string {
  return `Bearer authorization="${authorityHost}/${tenantId}", resource="${KEY_VAULT_RESOURCE}"`;
}

/** Adds the challenge header to a 401. */
function withChallenge(e: VaultError, authorityHost: string, tenantId: string): VaultError {
  return new VaultError(e.status, e.code, e.message, e.inner, { ...e.headers, 'WWW-Authenticate': challengeHeader(authorityHost, tenantId) });
}

/**
 * Authenticates a vault request from its headers only (the body is not touched).
 * @returns the caller, or the 401 {@link VaultError} (with challenge header) to answer. Never throws.
 */
export async function authenticate(
  req: IncomingMessage,
  ctx: { signer: TokenSigner; tenantId: string; authorityHost: string },
): Promise<Caller | VaultError> {
  const auth = header(req, 'authorization');
  const m = auth === undefined ? null : /^bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m?.[1]) return withChallenge(VaultErrors.missingToken(), ctx.authorityHost, ctx.tenantId);
  const expectedIssuer = issuerFor(ctx.tenantId);
  const result = await ctx.signer.verify(m[1], KEY_VAULT_AUDIENCES, expectedIssuer);
  if (isRejection(result)) {
    const e =
      result.kind === 'audience'
        ? VaultErrors.invalidAudience(result.found)
        : result.kind === 'issuer'
          ? VaultErrors.invalidIssuer(expectedIssuer, result.found)
          : VaultErrors.invalidToken(result.detail);
    return withChallenge(e, ctx.authorityHost, ctx.tenantId);
  }
  return { appId: result.appId, objectId: result.objectId, tenantId: result.tenantId };
}
