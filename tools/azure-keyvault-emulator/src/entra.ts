/**
 * The Entra ID (login) endpoints MSAL uses with `authorityHost` + `disableInstanceDiscovery`
 * (shared/spec/azure-keyvault.md §3.2, §4.3): OpenID configuration (v2.0 and v1 paths), JWKS, instance discovery,
 * and the token endpoint (client-credentials grant, v2.0 `scope` and v1 `resource` forms).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import { aadError, Aadsts } from './aadsts.js';
import { KEY_VAULT_APP_ID, KEY_VAULT_RESOURCE } from './constants.js';
import type { Directory } from './directory.js';
import { header, parseTarget, readBody, sendJson } from './http-util.js';
import type { TokenSigner } from './jwt.js';

/** What the login endpoints need. */
export interface EntraOptions {
  directory: Directory;
  signer: TokenSigner;
  /** `https://host:port` of the login server, no trailing slash. */
  authorityHost: () => string;
  /** Lifetime of issued tokens, seconds. */
  tokenLifetimeSeconds: number;
  now: () => number;
}

/** Maps a requested resource (scope minus `/.default`, or v1 `resource`) to the token audience; undefined if unknown. */
export function audienceForResource(resource: string): string | undefined {
  const r = resource.replace(/\/+$/, '');
  if (r.toLowerCase() === KEY_VAULT_RESOURCE) return KEY_VAULT_RESOURCE;
  if (r.toLowerCase() === KEY_VAULT_APP_ID) return KEY_VAULT_APP_ID;
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function openIdConfiguration(host: string, tenant: string, v2: boolean): Record<string, unknown> {
  const t = tenant;
  const base = `${host}/${t}`;
  return {
    token_endpoint: v2 ? `${base}/oauth2/v2.0/token` : `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${base}/v2.0` : `https://sts.windows.net/${t}/`,
    request_uri_parameter_supported: false,
    authorization_endpoint: v2 ? `${base}/oauth2/v2.0/authorize` : `${base}/oauth2/authorize`,
    device_authorization_endpoint: v2 ? `${base}/oauth2/v2.0/devicecode` : `${base}/oauth2/devicecode`,
    end_session_endpoint: v2 ? `${base}/oauth2/v2.0/logout` : `${base}/oauth2/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** Creates the request handler of the login server. Never throws; unknown paths get 404. */
export function createEntraHandler(opts: EntraOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { directory } = opts;
  const isTenant = (t: string) => t.toLowerCase() === directory.tenantId.toLowerCase();
  const fail = (res: ServerResponse, req: IncomingMessage, e: readonly [number, string, number, string]) => {
    const err = aadError(e[0], e[1], e[2], e[3], opts.authorityHost(), header(req, 'client-request-id') ?? undefined, opts.now());
    sendJson(res, err.status, err.body);
  };

  async function token(req: IncomingMessage, res: ServerResponse, tenant: string, v2: boolean): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, 64 * 1024);
    } catch {
      return fail(res, req, Aadsts.missingParameter('grant_type'));
    }
    const form = new URLSearchParams(body.toString('utf8'));
    if (!isTenant(tenant)) return fail(res, req, Aadsts.tenantNotFound(tenant));
    const grant = form.get('grant_type');
    if (!grant) return fail(res, req, Aadsts.missingParameter('grant_type'));
    if (grant !== 'client_credentials') return fail(res, req, Aadsts.unsupportedGrant(grant));
    const clientId = form.get('client_id');
    if (!clientId) return fail(res, req, Aadsts.missingParameter('client_id'));
    const app = directory.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
    if (!app) return fail(res, req, Aadsts.unknownClient(clientId, directory.tenantId));
    const secret = form.get('client_secret');
    if (secret === null) return fail(res, req, form.get('client_assertion') ? Aadsts.badAssertion() : Aadsts.missingSecret());
    if (!safeEqual(secret, app.clientSecret)) return fail(res, req, Aadsts.invalidSecret(app.clientId));
    let resource: string;
    if (v2) {
      const scope = form.get('scope');
      if (!scope) return fail(res, req, Aadsts.missingParameter('scope'));
      const first = scope.split(' ').find((s) => s.endsWith('/.default'));
      if (!first) return fail(res, req, Aadsts.invalidScope(scope));
      resource = first.slice(0, -'/.default'.length);
    } else {
      resource = form.get('resource') ?? '';
      if (!resource) return fail(res, req, Aadsts.missingParameter('resource'));
    }
    const audience = audienceForResource(resource);
    if (!audience) return fail(res, req, Aadsts.unknownResource(resource, directory.tenantId));
    const lifetime = opts.tokenLifetimeSeconds;
    const minted = await opts.signer.issue({ tenantId: directory.tenantId, appId: app.clientId, objectId: app.objectId, audience, lifetimeSeconds: lifetime });
    if (v2) {
      sendJson(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: minted.token });
    } else {
      sendJson(res, 200, {
        token_type: 'Bearer',
        expires_in: String(lifetime),
        ext_expires_in: String(lifetime),
        expires_on: String(minted.expiresOn),
        not_before: String(minted.issuedAt),
        resource,
        access_token: minted.token,
      });
    }
  }

  return async (req, res) => {
    const target = parseTarget(req.url);
    if (!target) return sendJson(res, 400, { error: 'invalid_request', error_description: 'Malformed request URL.' });
    const s = target.segments.map((x) => x.toLowerCase());
    const method = req.method ?? 'GET';
    const host = opts.authorityHost();
    const tenant = target.segments[0] ?? '';
    const known = isTenant(tenant) || tenant === 'common' || tenant === 'organizations';
    // Instance discovery: /common/discovery/instance (also under a tenant).
    if (method === 'GET' && s[1] === 'discovery' && s[2] === 'instance' && s.length === 3) {
      const authEndpoint = target.query.get('authorization_endpoint') ?? '';
      const t = /^https:\/\/[^/]+\/([^/]+)\//.exec(authEndpoint)?.[1] ?? directory.tenantId;
      const hostname = new URL(host).host;
      return sendJson(res, 200, {
        tenant_discovery_endpoint: `${host}/${t}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: hostname, preferred_cache: hostname, aliases: [hostname] }],
      });
    }
    // OpenID configuration: /{tenant}/v2.0/.well-known/openid-configuration and /{tenant}/.well-known/openid-configuration.
    const v2Config = s.length === 4 && s[1] === 'v2.0' && s[2] === '.well-known' && s[3] === 'openid-configuration';
    const v1Config = s.length === 3 && s[1] === '.well-known' && s[2] === 'openid-configuration';
    if (method === 'GET' && (v2Config || v1Config)) {
      if (!known) return fail(res, req, Aadsts.tenantNotFound(tenant));
      const t = isTenant(tenant) ? directory.tenantId : '{tenantid}';
      return sendJson(res, 200, openIdConfiguration(host, t, v2Config));
    }
    // JWKS: /{tenant}/discovery/v2.0/keys, /{tenant}/discovery/keys.
    if (method === 'GET' && s[1] === 'discovery' && (s.slice(2).join('/') === 'v2.0/keys' || s.slice(2).join('/') === 'keys')) {
      return sendJson(res, 200, opts.signer.jwks());
    }
    // Token: POST /{tenant}/oauth2/v2.0/token, POST /{tenant}/oauth2/token.
    if (s[1] === 'oauth2' && (s.slice(2).join('/') === 'v2.0/token' || s.slice(2).join('/') === 'token')) {
      if (method !== 'POST') return sendJson(res, 405, { error: 'invalid_request', error_description: 'The token endpoint only accepts POST.' });
      return token(req, res, tenant, s[2] === 'v2.0');
    }
    return sendJson(res, 404, { error: 'not_found', error_description: `No such endpoint: ${method} ${target.segments.join('/')}` });
  };
}
