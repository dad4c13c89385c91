/**
 * The emulator's request pipeline: path and operation, namespace (`X-Vault-Namespace`), injected faults, the
 * unauthenticated status paths, sealed/uninitialised, the token, then the mount that owns the path.
 */
import type { AppRoleMount } from './approle.js';
import { errors, PERMISSION_DENIED, type Answer } from './http-io.js';
import { takeFault, type Knobs } from './knobs.js';
import type { KubernetesMount } from './kubernetes.js';
import type { KvV1Mount } from './kv-v1.js';
import type { KvV2Mount } from './kv-v2.js';
import { cleanPath, type MountRequest, type Operation } from './routing-types.js';
import { handleSys } from './sys-routes.js';
import { handleTokenSelf } from './token-routes.js';
import { usableIn, type TokenStore } from './tokens.js';
import type { TransitMount } from './transit.js';

/** The secrets engines and auth methods of one namespace. */
export interface NamespaceMounts {
  readonly secrets: (KvV1Mount | KvV2Mount | TransitMount)[];
  readonly auth: (AppRoleMount | KubernetesMount)[];
}

/** Everything the router needs. */
export interface RouterState {
  readonly namespaces: ReadonlyMap<string, NamespaceMounts>;
  readonly tokens: TokenStore;
  readonly knobs: Knobs;
  readonly clusterId: string;
}

/** One request as the router got it. */
export interface RawRequest {
  readonly method: string;
  readonly url: string;
  readonly namespaceHeader: string | undefined;
  readonly tokenHeader: string | undefined;
  readonly body: unknown;
}

/** The method a request is logged and matched (faults) as: `LIST` for list reads. */
export function methodLabel(method: string, query: URLSearchParams): string {
  return (method === 'GET' || method === 'HEAD') && isListQuery(query) ? 'LIST' : method;
}

/** Routes one request. Never throws (a handler bug would surface as a rejected promise). */
export async function route(state: RouterState, raw: RawRequest): Promise<Answer> {
  const url = new URL(raw.url, 'http://emulator');
  if (!url.pathname.startsWith('/v1/')) return errors(404);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice('/v1/'.length));
  } catch {
    return errors(400, 'invalid path encoding');
  }
  const operation = toOperation(raw.method, url.searchParams);
  if (operation === undefined) return errors(405, 'unsupported operation');
  const namespace = cleanPath(raw.namespaceHeader ?? '');
  const clean = cleanPath(path);
  const fault = takeFault(state.knobs, methodLabel(raw.method, url.searchParams), clean, namespace);
  if (fault) return errors(fault.status, ...(fault.errors ?? []));
  const sys = handleSys(clean, raw.method, url.searchParams, namespace, state.knobs, state.clusterId);
  if (sys) return sys;
  if (!state.knobs.initialized) return errors(503, 'Vault is not initialized');
  if (state.knobs.sealed) return errors(503, 'Vault is sealed');
  const mounts = state.namespaces.get(namespace);
  if (mounts === undefined) return noHandler(namespace, clean);
  const found = state.tokens.lookup(raw.tokenHeader);
  const token = found && usableIn(found.namespace, namespace) ? found : undefined;
  const request = (inner: string): MountRequest => ({
    operation,
    method: methodLabel(raw.method, url.searchParams),
    path: inner,
    query: url.searchParams,
    body: raw.body,
    namespace,
    token,
  });

  if (clean.startsWith('auth/')) {
    const rest = path.replace(/^\/*auth\/+/, '');
    if (cleanPath(rest).startsWith('token/')) {
      return token ? handleTokenSelf(request(cleanPath(rest).slice('token/'.length)), state.tokens) : PERMISSION_DENIED;
    }
    const hit = findMount(mounts.auth, rest);
    if (!hit) return token ? noHandler(namespace, clean) : PERMISSION_DENIED;
    return hit.mount.handle(request(hit.inner), state.tokens);
  }
  if (!token) return PERMISSION_DENIED;
  if (clean.startsWith('sys/')) return errors(404, 'unsupported path');
  const hit = findMount(mounts.secrets, path);
  if (!hit) return noHandler(namespace, clean);
  return hit.mount.handle(request(hit.inner));
}

function isListQuery(query: URLSearchParams): boolean {
  const v = query.get('list');
  return v === 'true' || v === '1';
}

function toOperation(method: string, query: URLSearchParams): Operation | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return isListQuery(query) ? 'list' : 'read';
    case 'POST':
    case 'PUT':
      return 'update';
    case 'DELETE':
      return 'delete';
    default:
      return undefined;
  }
}

/** The mount with the longest path that owns `path`, and the path inside it (trailing `/` kept). */
function findMount<M extends { readonly path: string }>(mounts: readonly M[], path: string): { mount: M; inner: string } | undefined {
  const clean = cleanPath(path);
  let best: M | undefined;
  for (const m of mounts) {
    if ((clean === m.path || clean.startsWith(`${m.path}/`)) && (best === undefined || m.path.length > best.path.length)) best = m;
  }
  if (best === undefined) return undefined;
  const inner = clean.slice(best.path.length).replace(/^\//, '');
  return { mount: best, inner: inner !== '' && path.endsWith('/') ? `${inner}/` : inner };
}

function noHandler(namespace: string, path: string): Answer {
  return errors(404, `no handler for route "${namespace === '' ? '' : `${namespace}/`}${path}". route entry not found.`);
}
