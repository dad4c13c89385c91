/**
 * A transit mount with `aes256-gcm96` keys: `encrypt/<key>` (creates a missing key, like Vault's upsert),
 * `decrypt/<key>`, `keys/<key>` (create, read), `keys/<key>/rotate`. Ciphertexts are
 * `vault:v<version>:base64(nonce ‖ ciphertext ‖ tag)`, as Vault makes them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { envelope, errors, NO_CONTENT, NOT_AN_OBJECT, objectBody, type Answer } from './http-io.js';
import { cleanPath, type MountRequest } from './routing-types.js';

interface TransitKey {
  /** Key material by version (1-based). */
  readonly versions: Buffer[];
  readonly created: number;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The keys of one transit mount. */
export class TransitMount {
  readonly type = 'transit';
  readonly keys = new Map<string, TransitKey>();

  constructor(readonly path: string) {}

  /** Creates key `name` if it does not exist. */
  createKey(name: string): void {
    if (!this.keys.has(name)) this.keys.set(name, { versions: [randomBytes(32)], created: Date.now() });
  }

  /** Adds a key version (the next encrypt uses it). @returns false when the key does not exist. */
  rotate(name: string): boolean {
    const key = this.keys.get(name);
    if (!key) return false;
    key.versions.push(randomBytes(32));
    return true;
  }

  /** Handles a request to this mount. */
  handle(req: MountRequest): Answer {
    const [area, name, action, ...rest] = cleanPath(req.path).split('/');
    if (name === undefined || name === '' || rest.length > 0) return errors(405, 'unsupported path');
    const body = objectBody(req.body);
    if (body === undefined) return NOT_AN_OBJECT;
    if (area === 'encrypt' && req.operation === 'update' && action === undefined) return this.#encrypt(name, body);
    if (area === 'decrypt' && req.operation === 'update' && action === undefined) return this.#decrypt(name, body);
    if (area === 'keys' && action === undefined && req.operation === 'update') return (this.createKey(name), NO_CONTENT);
    if (area === 'keys' && action === undefined && req.operation === 'read') return this.#describe(name);
    if (area === 'keys' && action === 'rotate' && req.operation === 'update') return this.rotate(name) ? NO_CONTENT : errors(400, 'key not found');
    return errors(405, 'unsupported operation');
  }

  #encrypt(name: string, body: Record<string, unknown>): Answer {
    const plaintext = body['plaintext'];
    if (typeof plaintext !== 'string') return errors(400, 'missing plaintext to encrypt');
    if (!STRICT_BASE64.test(plaintext)) return errors(400, 'failed to base64-decode plaintext');
    this.createKey(name);
    const key = this.keys.get(name)!;
    const version = key.versions.length;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.versions[version - 1]!, nonce);
    const sealed = Buffer.concat([nonce, cipher.update(Buffer.from(plaintext, 'base64')), cipher.final(), cipher.getAuthTag()]);
    return envelope({ data: { ciphertext: `vault:v${version}:${sealed.toString('base64')}`, key_version: version } });
  }

  #decrypt(name: string, body: Record<string, unknown>): Answer {
    const ciphertext = body['ciphertext'];
    if (typeof ciphertext !== 'string' || ciphertext === '') return errors(400, 'missing ciphertext to decrypt');
    const key = this.keys.get(name);
    if (key === undefined) return errors(400, 'encryption key not found');
    const match = /^vault:v(\d+):(.*)$/s.exec(ciphertext);
    if (!match) return errors(400, 'invalid ciphertext: no prefix');
    const version = Number(match[1]);
    const material = key.versions[version - 1];
    if (material === undefined || version < 1) return errors(400, 'invalid ciphertext: key version is too high or too low');
    if (!STRICT_BASE64.test(match[2]!)) return errors(400, 'invalid ciphertext: could not decode');
    const sealed = Buffer.from(match[2]!, 'base64');
    if (sealed.length < 12 + 16) return errors(400, 'invalid ciphertext: too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', material, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
      return envelope({ data: { plaintext: plain.toString('base64') } });
    } catch {
      return errors(400, 'cipher: message authentication failed');
    }
  }

  #describe(name: string): Answer {
    const key = this.keys.get(name);
    if (key === undefined) return errors(404);
    const created = Math.floor(key.created / 1000);
    const versions = Object.fromEntries(key.versions.map((_, i) => [String(i + 1), created]));
    return envelope({
      data: { name, type: 'aes256-gcm96', latest_version: key.versions.length, min_decryption_version: 1, min_encryption_version: 0, keys: versions, deletion_allowed: false, exportable: false },
    });
  }
}
