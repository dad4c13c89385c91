/**
 * Backup blobs: an opaque base64url string holding the secret's versions, encrypted and authenticated with
 * AES-256-GCM under a key shared by every vault of one emulator (so a backup restores into any of its vaults,
 * as real backups restore within a geography). Anything else is "Malformed backup blob".
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultErrors } from './errors.js';
import type { SecretVersion } from './secret-model.js';

const MAGIC = Buffer.from('KVEMUBK1');
const MAX_BLOB_CHARS = 2_000_000;

/** What a backup carries. */
export interface BackupContent {
  name: string;
  versions: SecretVersion[];
}

/** Seals and opens backup blobs with one key. */
export class BackupCodec {
  constructor(private readonly key: Uint8Array = randomBytes(32)) {}

  /** Encrypts `content` into a base64url blob. */
  seal(content: BackupContent): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(MAGIC);
    const body = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /**
   * Decrypts and validates a blob.
   * @throws VaultError `400 Malformed backup blob` for anything not sealed by this codec or structurally invalid.
   */
  open(blob: unknown): BackupContent {
    if (typeof blob !== 'string' || blob.length < 20 || blob.length > MAX_BLOB_CHARS || !/^[A-Za-z0-9_-]+=*$/.test(blob))
      throw VaultErrors.malformedBackup();
    const raw = Buffer.from(blob, 'base64url');
    if (raw.length < MAGIC.length + 28 || !raw.subarray(0, MAGIC.length).equals(MAGIC)) throw VaultErrors.malformedBackup();
    const iv = raw.subarray(MAGIC.length, MAGIC.length + 12);
    const tag = raw.subarray(MAGIC.length + 12, MAGIC.length + 28);
    let text: string;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, iv);
      d.setAAD(MAGIC);
      d.setAuthTag(tag);
      text = Buffer.concat([d.update(raw.subarray(MAGIC.length + 28)), d.final()]).toString('utf8');
    } catch {
      throw VaultErrors.malformedBackup();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw VaultErrors.malformedBackup();
    }
    const c = parsed as BackupContent;
    if (typeof c?.name !== 'string' || !Array.isArray(c.versions) || c.versions.length === 0) throw VaultErrors.malformedBackup();
    return c;
  }
}
