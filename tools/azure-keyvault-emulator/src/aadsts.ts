/**
 * Entra ID (AAD STS) OAuth error answers, shaped like the real ones:
 * `{"error","error_description":"AADSTSnnn: …\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …","error_codes":[n],
 *   "timestamp","trace_id","correlation_id","error_uri"}`.
 */
import { randomUUID } from 'node:crypto';

/** An OAuth error answer of the token or discovery endpoints. */
export interface AadError {
  status: number;
  body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
    error_uri: string;
  };
}

function stamp(now: number): string {
  return new Date(now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/**
 * Builds one AADSTS error.
 * @param authorityHost base URL used for `error_uri`.
 * @param correlationId echoed from `client-request-id` when the client sent one.
 */
export function aadError(
  status: number,
  error: string,
  code: number,
  text: string,
  authorityHost: string,
  correlationId: string = randomUUID(),
  now: number = Date.now(),
): AadError {
  const traceId = randomUUID();
  const timestamp = stamp(now);
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${authorityHost}/error?code=${code}`,
    },
  };
}

/** The AADSTS catalog used by the token and discovery endpoints. */
export const Aadsts = {
  /** Unknown tenant (400, AADSTS90002). */
  tenantNotFound: (tenant: string) =>
    [
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ] as const,
  /** Wrong client secret (401, AADSTS7000215). */
  invalidSecret: (clientId: string) =>
    [
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ] as const,
  /** No secret or assertion (401, AADSTS7000216). */
  missingSecret: () =>
    [401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."] as const,
  /** Client assertions are not supported by the emulator; answered as a failed assertion (401, AADSTS700027). */
  badAssertion: () => [401, 'invalid_client', 700027, 'Client assertion failed signature validation.'] as const,
  /** Unknown client id (400, AADSTS700016). */
  unknownClient: (clientId: string, tenant: string) =>
    [
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ] as const,
  /** Missing request parameter (400, AADSTS900144). */
  missingParameter: (name: string) =>
    [400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`] as const,
  /** Grant other than client_credentials (400, AADSTS70003). */
  unsupportedGrant: (grant: string) =>
    [400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`] as const,
  /** Scope without `/.default` (400, AADSTS1002012). */
  invalidScope: (scope: string) =>
    [
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ] as const,
  /** Unknown resource (400, AADSTS500011). */
  unknownResource: (resource: string, tenant: string) =>
    [
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ] as const,
} as const;
