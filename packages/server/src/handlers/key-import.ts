/**
 * `PUT|POST /v1/key/import/<name>` (spec §2.3 with §12): body `{"key":"<b64 32 bytes>","cipher":"AES256"}`; the legacy
 * body `{"bytes":…}` is accepted as well, and a missing (or null) `cipher` means AES256. A fresh HMAC key is made.
 */
import { Errors, encodeStoredKey, isKesError, newStoredKey, parseKeyType } from '@kes/core';
import { decodeRequestBody } from '../http/json.js';
import { EMPTY_REPLY, type Handler } from './handler.js';
import { createFailure, requireKeyName } from './key-errors.js';

const SCHEMA = { key: 'bytes', bytes: 'bytes', cipher: 'string' } as const;

/**
 * Imports the key. Errors in this order: 400 invalid name; 400 `invalid import key request body` (unreadable,
 * oversized or malformed body, bad base64); 406 `algorithm '<c>' is not supported`; 406 `invalid key size for '<c>'`;
 * then as create.
 */
export const importKey: Handler = async (ctx) => {
  const name = requireKeyName(ctx);
  let fields;
  try {
    fields = decodeRequestBody(await ctx.body.read(), SCHEMA);
  } catch (err) {
    throw isKesError(err) ? Errors.invalidImportBody() : err;
  }
  const cipher = fields.cipher ?? 'AES256';
  const type = parseKeyType(cipher);
  if (type === undefined) throw Errors.unsupportedAlgorithm(cipher);
  const material = fields.key ?? fields.bytes ?? new Uint8Array(0);
  if (material.length !== 32) throw Errors.invalidKeySize(cipher);
  let encoded: Uint8Array;
  try {
    encoded = encodeStoredKey(newStoredKey({ type, keyBytes: material, createdBy: ctx.identity }));
  } finally {
    material.fill(0);
  }
  try {
    await ctx.state.cache.create(name, encoded, ctx.signal);
  } catch (err) {
    throw createFailure(err);
  }
  return EMPTY_REPLY;
};
