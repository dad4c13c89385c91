/**
 * A K/V version 1 mount: unversioned entries, `PUT` → 204, `GET` → 200 (`lease_duration` 768h) or 404
 * `{"errors":[]}`, `DELETE` → 204 (also for a missing entry), list → keys and folders or 404 `{"errors":[]}`.
 */
import { envelope, errors, NO_CONTENT, NOT_AN_OBJECT, objectBody, type Answer } from './http-io.js';
import { cleanPath, listChildren, type MountRequest } from './routing-types.js';

/** Vault's default lease of a K/V v1 read (768 h). */
const KV1_LEASE_SECONDS = 2_764_800;

/** The entries of one K/V v1 mount, by clean path. */
export class KvV1Mount {
  readonly type = 'kv';
  readonly version = 1;
  readonly entries = new Map<string, Record<string, unknown>>();

  constructor(readonly path: string) {}

  /** Handles a request to this mount. */
  handle(req: MountRequest): Answer {
    const key = cleanPath(req.path);
    switch (req.operation) {
      case 'list': {
        const keys = listChildren(this.entries.keys(), key);
        return keys.length === 0 ? errors(404) : envelope({ data: { keys }, mountType: 'kv' });
      }
      case 'read': {
        const data = this.entries.get(key);
        return data === undefined || key === '' ? errors(404) : envelope({ data: structuredClone(data), leaseDuration: KV1_LEASE_SECONDS, mountType: 'kv' });
      }
      case 'update': {
        if (key === '') return errors(405, 'unsupported operation');
        const body = objectBody(req.body);
        if (body === undefined) return NOT_AN_OBJECT;
        if (Object.keys(body).length === 0) return errors(400, 'no data provided');
        this.entries.set(key, structuredClone(body));
        return NO_CONTENT;
      }
      case 'delete':
        this.entries.delete(key);
        return NO_CONTENT;
    }
  }
}
