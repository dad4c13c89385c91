/**
 * Managed-identity token endpoints (plain http, shared/spec/azure-keyvault.md §3.3, §4.3):
 * - IMDS: `GET /metadata/identity/oauth2/token[/]?api-version=2018-02-01&resource=…[&client_id=…]`, header `Metadata: true`
 *   (reach it with `AZURE_POD_IDENTITY_AUTHORITY_HOST=<base>`);
 * - App Service: `GET /msi/token[/]?api-version=2019-08-01&resource=…[&client_id=…]`, header `X-IDENTITY-HEADER`
 *   (reach it with `IDENTITY_ENDPOINT=<base>/msi/token` + `IDENTITY_HEADER=<secret>`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Aadsts } from './aadsts.js';
import { findManagedIdentity, type Directory } from './directory.js';
import { audienceForResource } from './entra.js';
import { header, parseTarget, sendJson, drain } from './http-util.js';
import type { TokenSigner } from './jwt.js';

/** What the managed-identity endpoints need. */
export interface ManagedIdentityOptions {
  directory: Directory;
  signer: TokenSigner;
  /** The secret App Service puts in `IDENTITY_HEADER`. */
  identityHeader: string;
  tokenLifetimeSeconds: number;
}

const invalid = (description: string) => ({ error: 'invalid_request', error_description: description });

/** Creates the request handler of the managed-identity server. Never throws. */
export function createManagedIdentityHandler(opts: ManagedIdentityOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { directory, signer } = opts;

  return async (req, res) => {
    drain(req);
    const target = parseTarget(req.url);
    if (!target) return sendJson(res, 400, invalid('Malformed request URL.'));
    const path = target.segments.join('/').toLowerCase();
    const imds = path === 'metadata/identity/oauth2/token';
    const appService = path === 'msi/token';
    if (!imds && !appService) return sendJson(res, 404, invalid(`No such endpoint: /${target.segments.join('/')}`));
    if (req.method !== 'GET') return sendJson(res, 405, invalid('Only GET is supported.'));
    const q = target.query;
    if (imds && header(req, 'metadata')?.toLowerCase() !== 'true') return sendJson(res, 400, invalid('Required metadata header not specified'));
    if (appService && header(req, 'x-identity-header') !== opts.identityHeader)
      return sendJson(res, 400, invalid('The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.'));
    if (!q.get('api-version')) return sendJson(res, 400, invalid("Required queryparam 'api-version' not specified"));
    const resource = q.get('resource');
    if (!resource) return sendJson(res, 400, invalid("Required queryparam 'resource' not specified"));
    const identity = findManagedIdentity(directory, {
      clientId: q.get('client_id') ?? q.get('clientid'),
      objectId: q.get('object_id') ?? q.get('principal_id'),
      resourceId: q.get('msi_res_id') ?? q.get('mi_res_id'),
    });
    if (!identity) return sendJson(res, 400, invalid('Identity not found'));
    const audience = audienceForResource(resource);
    if (!audience) {
      const [, error, code, text] = Aadsts.unknownResource(resource, directory.tenantId);
      return sendJson(res, 400, { error, error_description: `AADSTS${code}: ${text}` });
    }
    const lifetime = opts.tokenLifetimeSeconds;
    const minted = await signer.issue({
      tenantId: directory.tenantId,
      appId: identity.clientId,
      objectId: identity.objectId,
      audience,
      lifetimeSeconds: lifetime,
      extra: { xms_mirid: identity.resourceId },
    });
    if (imds) {
      return sendJson(res, 200, {
        access_token: minted.token,
        client_id: identity.clientId,
        expires_in: String(lifetime),
        expires_on: String(minted.expiresOn),
        ext_expires_in: String(lifetime),
        not_before: String(minted.issuedAt),
        resource,
        token_type: 'Bearer',
      });
    }
    return sendJson(res, 200, {
      access_token: minted.token,
      expires_on: String(minted.expiresOn),
      resource,
      token_type: 'Bearer',
      client_id: identity.clientId,
    });
  };
}
