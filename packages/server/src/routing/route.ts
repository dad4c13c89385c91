/**
 * What a route is: the registered path and its method, body limit, timeout, authentication mode, whether it is
 * counted in the metrics, and its handler (spec §2.1).
 */
import type { Handler } from '../handlers/handler.js';

/**
 * How a route authenticates (spec §3.4):
 * - `policy`: an identity is required; the admin passes, anyone else needs a policy allowing the path;
 * - `identify`: the identity is computed if possible, nothing is rejected (self-describe, `skip_auth` routes);
 * - `none`: no checks at all (`/version`).
 */
export type AuthMode = 'policy' | 'identify' | 'none';

/** A route as registered. */
export interface RouteSpec {
  /** Registered path; ending in `/` makes it a prefix route whose remainder is the resource argument. */
  readonly path: string;
  /** The method; `PUT` routes also accept `POST`. */
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Maximum request body in bytes (0: the handler reads no body). */
  readonly maxBody: number;
  /** Default timeout in milliseconds (0: none). */
  readonly timeoutMs: number;
  /** Default authentication mode. */
  readonly auth: AuthMode;
  /** Counted in the `kes_http_*` metrics (key, policy and identity routes). */
  readonly metered: boolean;
  /** Serves the request once routing, method, authentication and authorization passed. */
  readonly handler: Handler;
}

/** A route with the `api:` overrides of the configuration applied. */
export type Route = RouteSpec;

/** True when `route` is a prefix route (its path ends in `/`). */
export function isPrefixRoute(route: RouteSpec): boolean {
  return route.path.endsWith('/');
}
