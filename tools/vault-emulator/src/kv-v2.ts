/**
 * A K/V version 2 mount (Vault `api-docs/secret/kv/kv-v2`): `data/` (read with `?version=N`, write with
 * `options.cas`, soft delete), `metadata/` (read, list, delete all versions), `delete/`, `undelete/`, `destroy/`.
 * Any other path answers 404 with Vault's "Invalid path for a versioned K/V secrets engine" warning and no data.
 */
import { envelope, errors, NO_CONTENT, NOT_AN_OBJECT, objectBody, type Answer } from './http-io.js';
import { cleanPath, listChildren, vaultTime, type MountRequest } from './routing-types.js';

interface Version {
  readonly data: Record<string, unknown>;
  readonly createdTime: string;
  deletionTime: string;
  destroyed: boolean;
}

interface Entry {
  readonly versions: Map<number, Version>;
  currentVersion: number;
  readonly createdTime: string;
  updatedTime: string;
}

/** Vault's warning for paths a versioned K/V engine does not serve (e.g. a v1-style path). */
export const INVALID_V2_PATH_WARNING =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

/** The text of a check-and-set conflict (clients match on "check-and-set"). */
export const CAS_MISMATCH = 'check-and-set parameter did not match the current version';

/** The entries of one K/V v2 mount, by clean path. */
export class KvV2Mount {
  readonly type = 'kv';
  readonly version = 2;
  readonly entries = new Map<string, Entry>();

  constructor(readonly path: string) {}

  /** Handles a request to this mount. */
  handle(req: MountRequest): Answer {
    const slash = req.path.indexOf('/');
    const area = slash < 0 ? req.path : req.path.slice(0, slash);
    const key = cleanPath(slash < 0 ? '' : req.path.slice(slash + 1));
    const op = req.operation;
    if (area === 'metadata' && op === 'list') return this.#list(key);
    if (key === '' && op !== 'list') return invalidPath();
    if (area === 'data' && op === 'read') return this.#read(key, req.query.get('version'));
    if (area === 'data' && op === 'update') return this.#write(key, req.body);
    if (area === 'data' && op === 'delete') return this.#mark(key, undefined, 'delete');
    if (area === 'metadata' && op === 'read') return this.#metadata(key);
    if (area === 'metadata' && op === 'delete') return (this.entries.delete(key), NO_CONTENT);
    if ((area === 'delete' || area === 'undelete' || area === 'destroy') && op === 'update') return this.#mark(key, req.body, area);
    return invalidPath();
  }

  #read(key: string, versionParam: string | null): Answer {
    const entry = this.entries.get(key);
    if (entry === undefined) return errors(404);
    const n = versionParam === null || versionParam === '' || versionParam === '0' ? entry.currentVersion : Number(versionParam);
    if (!Number.isInteger(n) || n < 0) return errors(400, 'invalid version');
    const version = entry.versions.get(n);
    if (version === undefined) return errors(404);
    const metadata = versionMetadata(n, version);
    if (version.destroyed || version.deletionTime !== '') return envelope({ data: { data: null, metadata } }, 404);
    return envelope({ data: { data: structuredClone(version.data), metadata } });
  }

  #write(key: string, rawBody: unknown): Answer {
    const body = objectBody(rawBody);
    if (body === undefined) return NOT_AN_OBJECT;
    const data = body['data'];
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return errors(400, 'no data provided');
    const options = body['options'];
    const cas = typeof options === 'object' && options !== null ? (options as { cas?: unknown }).cas : undefined;
    const entry = this.entries.get(key);
    if (cas !== undefined) {
      if (typeof cas !== 'number' || !Number.isInteger(cas)) return errors(400, 'invalid cas parameter');
      if (cas !== (entry?.currentVersion ?? 0)) return errors(400, CAS_MISMATCH);
    }
    const now = vaultTime();
    const target = entry ?? { versions: new Map<number, Version>(), currentVersion: 0, createdTime: now, updatedTime: now };
    const n = target.currentVersion + 1;
    const version: Version = { data: structuredClone(data as Record<string, unknown>), createdTime: now, deletionTime: '', destroyed: false };
    target.versions.set(n, version);
    target.currentVersion = n;
    target.updatedTime = now;
    this.entries.set(key, target);
    return envelope({ data: versionMetadata(n, version) });
  }

  #mark(key: string, rawBody: unknown, action: 'delete' | 'undelete' | 'destroy'): Answer {
    const entry = this.entries.get(key);
    let numbers: number[];
    if (rawBody === undefined) {
      numbers = entry ? [entry.currentVersion] : [];
    } else {
      const versions = objectBody(rawBody)?.['versions'];
      if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => Number.isInteger(v))) return errors(400, 'no version number provided');
      numbers = versions as number[];
    }
    for (const n of numbers) {
      const version = entry?.versions.get(n);
      if (version === undefined) continue;
      if (action === 'destroy') version.destroyed = true;
      else if (!version.destroyed) version.deletionTime = action === 'delete' ? vaultTime() : '';
    }
    return NO_CONTENT;
  }

  #metadata(key: string): Answer {
    const entry = this.entries.get(key);
    if (entry === undefined) return errors(404);
    const versions: Record<string, unknown> = {};
    for (const [n, v] of entry.versions) versions[String(n)] = { created_time: v.createdTime, deletion_time: v.deletionTime, destroyed: v.destroyed };
    const oldest = Math.min(...entry.versions.keys());
    return envelope({
      data: {
        cas_required: false,
        created_time: entry.createdTime,
        current_version: entry.currentVersion,
        custom_metadata: null,
        delete_version_after: '0s',
        max_versions: 0,
        oldest_version: oldest,
        updated_time: entry.updatedTime,
        versions,
      },
    });
  }

  #list(dir: string): Answer {
    const keys = listChildren(this.entries.keys(), dir);
    return keys.length === 0 ? errors(404) : envelope({ data: { keys } });
  }
}

function versionMetadata(n: number, v: Version): Record<string, unknown> {
  return { created_time: v.createdTime, custom_metadata: null, deletion_time: v.deletionTime, destroyed: v.destroyed, version: n };
}

function invalidPath(): Answer {
  return envelope({ warnings: [INVALID_V2_PATH_WARNING] }, 404);
}
