import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Errors } from '../errors.js';
import { ApiKey } from './api-key.js';

/** Length of the DER PKCS#8 PrivateKeyInfo of an Ed25519 key: 16-byte prefix + 32-byte seed (RFC 8410). */
const ED25519_PKCS8_LENGTH = 48;
/** Type byte of an Ed25519 API key (spec §3.2). */
const TYPE_ED25519 = 0x00;

/**
 * Converts an Ed25519 private key into its equivalent API key (spec §3.2: what `kes identity <private-key-file>`
 * prints). The key may be a PEM text (PKCS#8 `PRIVATE KEY`, or encrypted — PKCS#8 `ENCRYPTED PRIVATE KEY` or legacy
 * RFC 1423 `Proc-Type: 4,ENCRYPTED` — when `password` is given), DER PKCS#8 bytes, or a node:crypto `KeyObject`.
 *
 * @returns the API key whose seed is the private key's; its identity equals the identity of any certificate for the
 *   key's public key.
 * @throws {KesError} `Errors.invalidApiKey('invalid encoding')` when the input is not a readable private key (including
 *   a wrong or missing password); `Errors.invalidApiKey('unsupported type')` when it is a private key of another type
 *   (RSA, ECDSA, X25519, …). Never throws anything else.
 */
export function apiKeyFromPrivateKey(key: string | Uint8Array | KeyObject, password?: string): ApiKey {
  let object: KeyObject;
  try {
    if (typeof key === 'string') {
      object = createPrivateKey(password === undefined ? key : { key, format: 'pem', passphrase: password });
    } else if (key instanceof Uint8Array) {
      object = createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
    } else if (key?.type === 'private') {
      object = key;
    } else {
      throw Errors.invalidApiKey('invalid encoding');
    }
  } catch {
    throw Errors.invalidApiKey('invalid encoding');
  }
  if (object.asymmetricKeyType !== 'ed25519') throw Errors.invalidApiKey('unsupported type');
  const der = object.export({ format: 'der', type: 'pkcs8' });
  if (der.length !== ED25519_PKCS8_LENGTH) throw Errors.invalidApiKey('invalid encoding');
  const seed = der.subarray(ED25519_PKCS8_LENGTH - 32);
  return ApiKey.parse(Buffer.concat([Buffer.of(TYPE_ED25519), seed]).toString('base64'));
}
