/**
 * Run-time control of the vaults: the in-process {@link VaultHandle} and the plain-HTTP admin endpoint
 * (127.0.0.1 only) that exposes the same operations as JSON:
 *
 * | Method + path | Effect |
 * |---|---|
 * | `GET /admin` | vault names, URLs and knobs |
 * | `GET /admin/vaults/{vault}/knobs` | current knobs |
 * | `PATCH /admin/vaults/{vault}/knobs` (or PUT/POST) | apply a knob patch (all-or-nothing; 400 on invalid) |
 * | `POST /admin/vaults/{vault}/knobs/reset` | restore defaults |
 * | `PATCH /admin/vaults/{vault}/secrets/{name}` `{"enabled":bool,"version"?}` | enable/disable a secret version |
 * | `DELETE /admin/vaults/{vault}/secrets` | forget every secret |
 * | `GET` / `DELETE /admin/vaults/{vault}/requests` | read / clear the request log |
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isVaultError } from './errors.js';
import { decodeSegment, isObject, parseJson, parseTarget, readBody, sendJson } from './http-util.js';
import { KnobError, type Knobs } from './knobs.js';
import type { RequestLogEntry } from './request-log.js';
import type { VaultServer } from './vault-server.js';

/** In-process control of one vault. */
export interface VaultHandle {
  readonly name: string;
  /** `https://localhost:<port>`. */
  readonly url: string;
  /** A copy of the current knobs. */
  knobs(): Knobs;
  /** Applies a knob patch. @throws KnobError (nothing applied) when invalid. */
  setKnobs(patch: Partial<Knobs>): Promise<Knobs>;
  /** Restores default knobs (data kept). */
  resetKnobs(): Promise<Knobs>;
  /** Enables or disables the latest (or given) version of an active secret. @throws VaultError 404. */
  setSecretEnabled(name: string, enabled: boolean, version?: string): void;
  /** Forgets every secret, deleted ones included. */
  clearSecrets(): void;
  /** The request log (no bodies or tokens). */
  requests(): RequestLogEntry[];
  /** Clears the request log. */
  clearRequests(): void;
  /** Number of 429 answers since the throttle knob was last set. */
  throttledCount(): number;
}

/** Wraps a running vault server as a {@link VaultHandle}. */
export function vaultHandle(v: VaultServer): VaultHandle {
  return {
    name: v.name,
    get url() {
      return v.url;
    },
    knobs: () => v.knobs,
    setKnobs: (patch) => v.setKnobs(patch),
    resetKnobs: () => v.resetKnobs(),
    setSecretEnabled: (name, enabled, version) => void v.store.setEnabled(name, enabled, version),
    clearSecrets: () => v.store.clear(),
    requests: () => v.log.list(),
    clearRequests: () => v.log.clear(),
    throttledCount: () => v.throttledCount,
  };
}

const adminError = (code: string, message: string) => ({ error: { code, message } });

/** Creates the admin request handler over `vaults` (looked up by case-insensitive name). Never throws. */
export function createAdminHandler(vaults: ReadonlyMap<string, VaultHandle>): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const find = (raw: string | undefined) => {
    const name = raw === undefined ? undefined : decodeSegment(raw);
    return name === undefined ? undefined : vaults.get(name.toLowerCase());
  };

  async function jsonBody(req: IncomingMessage): Promise<unknown> {
    const text = (await readBody(req, 64 * 1024)).toString('utf8');
    return text.trim() === '' ? {} : parseJson(text);
  }

  return async (req, res) => {
    const target = parseTarget(req.url);
    const s = target?.segments ?? [];
    const method = req.method ?? 'GET';
    if (s[0] !== 'admin') return sendJson(res, 404, adminError('NotFound', 'Admin paths start with /admin.'));
    if (s.length === 1 && method === 'GET') {
      return sendJson(res, 200, { vaults: [...vaults.values()].map((v) => ({ name: v.name, url: v.url, knobs: v.knobs() })) });
    }
    const vault = s[1] === 'vaults' ? find(s[2]) : undefined;
    if (!vault) return sendJson(res, 404, adminError('VaultNotFound', `No vault named ${s[2] ?? ''}.`));
    const rest = s.slice(3).join('/');
    try {
      if (rest === 'knobs' && method === 'GET') return sendJson(res, 200, vault.knobs());
      if (rest === 'knobs' && (method === 'PATCH' || method === 'PUT' || method === 'POST')) {
        const body = await jsonBody(req);
        return sendJson(res, 200, await vault.setKnobs(body as Partial<Knobs>));
      }
      if (rest === 'knobs/reset' && method === 'POST') return sendJson(res, 200, await vault.resetKnobs());
      if (rest === 'requests' && method === 'GET') return sendJson(res, 200, vault.requests());
      if (rest === 'requests' && method === 'DELETE') {
        vault.clearRequests();
        return sendJson(res, 204, undefined);
      }
      if (rest === 'secrets' && method === 'DELETE') {
        vault.clearSecrets();
        return sendJson(res, 204, undefined);
      }
      if (s[3] === 'secrets' && s.length === 5 && method === 'PATCH') {
        const body = await jsonBody(req);
        const name = decodeSegment(s[4] ?? '') ?? '';
        if (!isObject(body) || typeof body['enabled'] !== 'boolean' || (body['version'] !== undefined && typeof body['version'] !== 'string'))
          return sendJson(res, 400, adminError('InvalidRequest', 'Body must be {"enabled": boolean, "version"?: string}.'));
        vault.setSecretEnabled(name, body['enabled'], body['version'] as string | undefined);
        return sendJson(res, 200, { name, enabled: body['enabled'] });
      }
      return sendJson(res, 404, adminError('NotFound', `No admin operation ${method} /${s.join('/')}.`));
    } catch (e) {
      if (e instanceof KnobError) return sendJson(res, 400, adminError('InvalidKnob', e.message));
      if (isVaultError(e)) return sendJson(res, e.status, e.toBody());
      return sendJson(res, 400, adminError('InvalidRequest', 'The request could not be read.'));
    }
  };
}
