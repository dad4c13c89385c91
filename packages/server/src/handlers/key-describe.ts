/**
 * `GET /v1/key/describe/<name>` (spec §2.3): `{"name","algorithm","created_at","created_by"}` — `algorithm` is always
 * `AES256` or `ChaCha20`, `created_at` Go RFC 3339 with nanoseconds (zero time for legacy keys), `created_by` omitted
 * when empty.
 */
import { formatTimestamp } from '@kes/core';
import { jsonReply, type Handler } from './handler.js';
import { loadKey, requireKeyName } from './key-errors.js';

/** Describes the key. Errors: 400 invalid name, 404 `key does not exist`, 502 `failed to read key`. */
export const describeKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  const key = await loadKey(ctx, name);
  return jsonReply({
    name,
    algorithm: key.key.type,
    created_at: formatTimestamp(key.createdAt),
    created_by: key.createdBy === '' ? undefined : key.createdBy,
  });
};
