/**
 * The secrets API routes (shared/spec/azure-keyvault.md §2.1) for an authenticated request: api-version check,
 * path matching (trailing slash tolerated), name validation, authorization, body parsing and the store operation.
 */
import type { IncomingMessage } from 'node:http';
import { authorize, type Caller } from './access.js';
import type { BackupCodec } from './backup.js';
import { deletedSecretBundle, deletedSecretItem, secretBundle, secretItem, type VaultAttributesContext } from './bundles.js';
import { MAX_REQUEST_BODY_BYTES, SUPPORTED_API_VERSIONS } from './constants.js';
import { VaultErrors } from './errors.js';
import { BodyTooLargeError, decodeSegment, drain, readBody, type RequestTarget } from './http-util.js';
import { recoveryLevel, type Knobs, type SecretPermission } from './knobs.js';
import { nextLinkBuilder, paginate, parsePageRequest } from './paging.js';
import { isPlausibleVersion, isValidSecretName, parsePatchBody, parseRestoreBody, parseSetBody } from './secret-input.js';
import { latest } from './secret-model.js';
import type { VaultStore } from './vault-store.js';

/** What the routes need from their vault. */
export interface SecretsContext {
  vaultName: string;
  store: VaultStore;
  knobs: () => Knobs;
  backup: BackupCodec;
}

/** A successful answer (errors are thrown as VaultError). */
export interface RouteResult {
  status: number;
  body?: unknown;
}

async function body(req: IncomingMessage): Promise<string> {
  try {
    return (await readBody(req, MAX_REQUEST_BODY_BYTES)).toString('utf8');
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw VaultErrors.bodyTooLarge();
    throw VaultErrors.badBody();
  }
}

function secretName(raw: string | undefined): string {
  const name = raw === undefined ? undefined : decodeSegment(raw);
  if (name === undefined || !isValidSecretName(name)) throw VaultErrors.invalidName(name ?? raw ?? '');
  return name;
}

function versionId(raw: string, name: string): string {
  const v = decodeSegment(raw);
  if (v === undefined || !isPlausibleVersion(v)) throw VaultErrors.secretNotFound(`${name}/${v ?? raw}`);
  return v;
}

/**
 * Serves one authenticated secrets API request.
 * @param base `https://host:port` as addressed by the client (ids and nextLinks are built from it).
 * @throws VaultError for every error answer.
 */
export async function handleSecrets(ctx: SecretsContext, req: IncomingMessage, target: RequestTarget, caller: Caller, base: string): Promise<RouteResult> {
  const k = ctx.knobs();
  const apiVersion = target.query.get('api-version');
  if (apiVersion === null || apiVersion === '') throw VaultErrors.missingApiVersion();
  if (!(k.apiVersions ?? SUPPORTED_API_VERSIONS).includes(apiVersion)) throw VaultErrors.unknownApiVersion(apiVersion);

  const attrs: VaultAttributesContext = { base, recoveryLevel: recoveryLevel(k), recoverableDays: k.recoverableDays };
  const allow = (p: SecretPermission, name?: string) => authorize(k, caller, p, ctx.vaultName, name);
  const method = req.method ?? 'GET';
  const seg = target.segments;
  const [root, rawName, third, fourth] = seg;
  const store = ctx.store;
  const page = () => parsePageRequest(target.query);
  const linkFor = (path: string, pr: ReturnType<typeof parsePageRequest>) => nextLinkBuilder(base, path, apiVersion, pr);
  const methodNotAllowed = () => VaultErrors.methodNotAllowed(method);

  if (root === 'secrets') {
    if (seg.length === 1) {
      if (method !== 'GET') throw methodNotAllowed();
      const pr = page();
      allow('list');
      const items = store.list().map((r) => secretItem(r, latest(r), attrs, false));
      return { status: 200, body: paginate(items, pr, k.emptyPages, linkFor('/secrets', pr)) };
    }
    if (seg.length === 2 && rawName === 'restore' && method === 'POST') {
      allow('restore');
      const content = ctx.backup.open(parseRestoreBody(await body(req)));
      if (!isValidSecretName(content.name)) throw VaultErrors.malformedBackup();
      const r = store.restore(content);
      return { status: 200, body: secretBundle(r, latest(r), attrs, false) };
    }
    const name = secretName(rawName);
    if (seg.length === 2) {
      switch (method) {
        case 'PUT': {
          allow('set', name);
          const { record, version } = store.set(name, parseSetBody(await body(req)));
          return { status: 200, body: secretBundle(record, version, attrs, true) };
        }
        case 'GET': {
          allow('get', name);
          const { record, version } = store.get(name);
          return { status: 200, body: secretBundle(record, version, attrs, true) };
        }
        case 'PATCH': {
          allow('set', name);
          const { record, version } = store.update(name, undefined, parsePatchBody(await body(req)));
          return { status: 200, body: secretBundle(record, version, attrs, false) };
        }
        case 'DELETE': {
          allow('delete', name);
          return { status: 200, body: deletedSecretBundle(store.delete(name), attrs) };
        }
        default:
          throw methodNotAllowed();
      }
    }
    if (seg.length === 3 && third === 'versions') {
      if (method !== 'GET') throw methodNotAllowed();
      const pr = page();
      allow('list', name);
      const found = store.versions(name);
      const items = found ? found.versions.map((v) => secretItem(found.record, v, attrs, true)) : [];
      return { status: 200, body: paginate(items, pr, found ? k.emptyPages : 0, linkFor(`/secrets/${rawName}/versions`, pr)) };
    }
    if (seg.length === 3 && third === 'backup' && method === 'POST') {
      allow('backup', name);
      drain(req);
      const snap = store.snapshot(name);
      return { status: 200, body: { value: ctx.backup.seal({ name: snap.name, versions: snap.versions }) } };
    }
    if (seg.length === 3 && third !== undefined) {
      const version = versionId(third, name);
      if (method === 'GET') {
        allow('get', name);
        const { record, version: v } = store.get(name, version);
        return { status: 200, body: secretBundle(record, v, attrs, true) };
      }
      if (method === 'PATCH') {
        allow('set', name);
        const { record, version: v } = store.update(name, version, parsePatchBody(await body(req)));
        return { status: 200, body: secretBundle(record, v, attrs, false) };
      }
      throw methodNotAllowed();
    }
    throw VaultErrors.unknownPath();
  }

  if (root === 'deletedsecrets') {
    if (seg.length === 1) {
      if (method !== 'GET') throw methodNotAllowed();
      const pr = page();
      allow('list');
      const items = store.listDeleted().map((r) => deletedSecretItem(r, attrs));
      return { status: 200, body: paginate(items, pr, k.emptyPages, linkFor('/deletedsecrets', pr)) };
    }
    const name = secretName(rawName);
    if (seg.length === 2) {
      if (method === 'GET') {
        allow('get', name);
        return { status: 200, body: deletedSecretBundle(store.getDeleted(name), attrs) };
      }
      if (method === 'DELETE') {
        allow('purge', name);
        store.purge(name);
        return { status: 204 };
      }
      throw methodNotAllowed();
    }
    if (seg.length === 3 && third === 'recover' && fourth === undefined) {
      if (method !== 'POST') throw methodNotAllowed();
      allow('recover', name);
      drain(req);
      const r = store.recover(name);
      return { status: 200, body: secretBundle(r, latest(r), attrs, false) };
    }
    throw VaultErrors.unknownPath();
  }
  throw VaultErrors.unknownPath();
}
