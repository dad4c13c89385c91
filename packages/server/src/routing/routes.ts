/**
 * The registered routes (spec §2.1, plus `POST /v1/key/bulk/decrypt/` from §2.4 per §12) with their default method,
 * body limit, timeout, authentication mode and metrics flag.
 */
import { describeIdentity, describeSelf, listIdentities } from '../handlers/identity.js';
import { listApis, version } from '../handlers/info.js';
import { bulkDecryptKey } from '../handlers/key-bulk-decrypt.js';
import { createKey } from '../handlers/key-create.js';
import { decryptKey } from '../handlers/key-decrypt.js';
import { deleteKey } from '../handlers/key-delete.js';
import { describeKey } from '../handlers/key-describe.js';
import { encryptKey } from '../handlers/key-encrypt.js';
import { generateKey } from '../handlers/key-generate.js';
import { hmacKey } from '../handlers/key-hmac.js';
import { importKey } from '../handlers/key-import.js';
import { listKeys } from '../handlers/key-list.js';
import { logStream } from '../handlers/log-stream.js';
import { metrics } from '../handlers/metrics.js';
import { describePolicy, listPolicies, readPolicy } from '../handlers/policy.js';
import { ready, status } from '../handlers/status.js';
import type { RouteSpec } from './route.js';

/** Request body limit of the body-carrying key routes: 1 MB = 1,000,000 bytes (`aead.dev/mem`). */
export const MAX_BODY = 1_000_000;

const S = 1000;

/** Every route the server serves, in the order `/v1/api` lists them. */
export const ROUTES: readonly RouteSpec[] = Object.freeze([
  { path: '/version', method: 'GET', maxBody: 0, timeoutMs: 10 * S, auth: 'none', metered: false, handler: version },
  { path: '/v1/ready', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: false, handler: ready },
  { path: '/v1/status', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: false, handler: status },
  { path: '/v1/metrics', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: false, handler: metrics },
  { path: '/v1/api', method: 'GET', maxBody: 0, timeoutMs: 10 * S, auth: 'policy', metered: false, handler: listApis },
  { path: '/v1/key/create/', method: 'PUT', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: createKey },
  { path: '/v1/key/import/', method: 'PUT', maxBody: MAX_BODY, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: importKey },
  { path: '/v1/key/describe/', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: describeKey },
  { path: '/v1/key/list/', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: listKeys },
  { path: '/v1/key/delete/', method: 'DELETE', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: deleteKey },
  { path: '/v1/key/generate/', method: 'PUT', maxBody: MAX_BODY, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: generateKey },
  { path: '/v1/key/encrypt/', method: 'PUT', maxBody: MAX_BODY, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: encryptKey },
  { path: '/v1/key/decrypt/', method: 'PUT', maxBody: MAX_BODY, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: decryptKey },
  { path: '/v1/key/bulk/decrypt/', method: 'POST', maxBody: MAX_BODY, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: bulkDecryptKey },
  { path: '/v1/key/hmac/', method: 'PUT', maxBody: MAX_BODY, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: hmacKey },
  { path: '/v1/policy/describe/', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: describePolicy },
  { path: '/v1/policy/read/', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: readPolicy },
  { path: '/v1/policy/list/', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: listPolicies },
  { path: '/v1/identity/describe/', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: describeIdentity },
  { path: '/v1/identity/self/describe', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'identify', metered: true, handler: describeSelf },
  { path: '/v1/identity/list/', method: 'GET', maxBody: 0, timeoutMs: 15 * S, auth: 'policy', metered: true, handler: listIdentities },
  { path: '/v1/log/error', method: 'GET', maxBody: 0, timeoutMs: 0, auth: 'policy', metered: false, handler: logStream((s) => s.errorLog.hub) },
  { path: '/v1/log/audit', method: 'GET', maxBody: 0, timeoutMs: 0, auth: 'policy', metered: false, handler: logStream((s) => s.audit.hub) },
] satisfies RouteSpec[]);
