/**
 * The effective routes of a server: the registered routes (spec §2.1 plus bulk decrypt, §2.4/§12) with the `api:`
 * overrides applied, and path matching like Go's `ServeMux` on the escaped path with decoded segments (spec §1.2),
 * except that a prefix route's bare path (`/v1/key/list`) is served directly and authorized as if it ended in `/` (§12).
 */
import { unescapePath } from '../http/path.js';
import { isPrefixRoute, type Route, type RouteSpec } from './route.js';

/** Per-route overrides from the config's `api:` section, keyed by registered path. */
export type ApiOverrides = Readonly<Record<string, { skipAuth?: boolean; timeoutMs?: number }>>;

/** A matched request. */
export interface RouteMatch {
  readonly route: Route;
  /** The decoded request path (what the audit log shows). */
  readonly path: string;
  /** The path policies are evaluated against: the decoded path, with `/` appended for a bare prefix path. */
  readonly authPath: string;
  /** The decoded remainder after a prefix route's path (`''` for exact routes and bare prefix paths). */
  readonly resource: string;
}

/** One entry of `GET /v1/api`. */
export interface ApiEntry {
  method: string;
  path: string;
  max_body: number;
  timeout: number;
}

/** The outcome of {@link RouteTable.match}. */
export type MatchResult = RouteMatch | 'not-found' | 'bad-request';

/** Immutable set of effective routes. */
export class RouteTable {
  readonly #exact = new Map<string, Route>();
  readonly #prefix: Array<{ route: Route; segments: string[] }> = [];
  readonly #routes: Route[];
  /** True when at least one route has `skip_auth` (client certificates become optional, spec §1.1). */
  readonly anySkipAuth: boolean;

  /**
   * @param specs - the registered routes.
   * @param overrides - `api:` overrides; a key must equal a registered path exactly, other keys are ignored;
   *   `timeoutMs > 0` replaces the timeout, `skipAuth` turns `policy` authentication into `identify`.
   */
  constructor(specs: readonly RouteSpec[], overrides: ApiOverrides = {}) {
    let anySkip = false;
    this.#routes = specs.map((spec) => {
      const o = Object.hasOwn(overrides, spec.path) ? overrides[spec.path] : undefined;
      if (o?.skipAuth === true) anySkip = true;
      return {
        ...spec,
        timeoutMs: o?.timeoutMs !== undefined && o.timeoutMs > 0 ? o.timeoutMs : spec.timeoutMs,
        auth: o?.skipAuth === true && spec.auth === 'policy' ? 'identify' : spec.auth,
      };
    });
    this.anySkipAuth = anySkip;
    for (const route of this.#routes) {
      if (isPrefixRoute(route)) this.#prefix.push({ route, segments: route.path.slice(0, -1).split('/') });
      else this.#exact.set(route.path, route);
    }
  }

  /** The effective routes in registration order. */
  get routes(): readonly Route[] {
    return this.#routes;
  }

  /** The `GET /v1/api` listing: method, path, max body and timeout in whole seconds. */
  describe(): ApiEntry[] {
    return this.#routes.map((r) => ({
      method: r.method,
      path: r.path,
      max_body: r.maxBody,
      timeout: Math.floor(r.timeoutMs / 1000),
    }));
  }

  /**
   * Matches a cleaned, still escaped path. Segments are percent-decoded individually, so `%2F` never separates
   * segments but does appear as `/` in the decoded path and resource.
   * @returns the match, `'not-found'`, or `'bad-request'` for a malformed percent escape.
   */
  match(escapedPath: string): MatchResult {
    if (!escapedPath.includes('%')) return this.#matchPlain(escapedPath);
    const decoded: string[] = [];
    for (const segment of escapedPath.split('/')) {
      const d = unescapePath(segment);
      if (d === undefined) return 'bad-request';
      decoded.push(d);
    }
    const path = decoded.join('/');
    const exact = this.#exact.get(path);
    // Equal text with a different segment count means a decoded %2F: Go's mux does not match that.
    if (exact !== undefined && exact.path.split('/').length === decoded.length) {
      return { route: exact, path, authPath: path, resource: '' };
    }
    for (const { route, segments } of this.#prefix) {
      if (decoded.length < segments.length || !segments.every((s, i) => s === decoded[i])) continue;
      if (decoded.length === segments.length) return { route, path, authPath: `${path}/`, resource: '' };
      return { route, path, authPath: path, resource: decoded.slice(segments.length).join('/') };
    }
    return 'not-found';
  }

  /** {@link match} for a path without escapes (segments are then plain substrings): the same answers, without splitting. */
  #matchPlain(path: string): MatchResult {
    const exact = this.#exact.get(path);
    if (exact !== undefined) return { route: exact, path, authPath: path, resource: '' };
    for (const { route } of this.#prefix) {
      const prefix = route.path; // ends with '/'
      if (path.length === prefix.length - 1 && prefix.startsWith(path)) return { route, path, authPath: `${path}/`, resource: '' };
      if (path.startsWith(prefix)) return { route, path, authPath: path, resource: path.slice(prefix.length) };
    }
    return 'not-found';
  }
}
