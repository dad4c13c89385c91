/**
 * One vault's secrets and their soft-delete lifecycle (shared/spec/azure-keyvault.md §2.6), independent of HTTP.
 *
 * Phases of a name: `active` → DELETE → `deleting` (window) → `deleted` → purge → `purging` (window) → gone,
 * or `deleted` → recover → `recovering` (window) → `active`. Windows come from the knobs and are evaluated
 * lazily against the clock, so there are no timers to leak. Names are case-insensitive; the case of the first
 * creation is kept for ids.
 */
import { VaultErrors } from './errors.js';
import type { Knobs } from './knobs.js';
import { latest, newVersionId, type SecretRecord, type SecretVersion, type VersionInput, type VersionPatch } from './secret-model.js';

/** In-memory secrets of one vault. All methods throw only {@link VaultError}s from the catalog. */
export class VaultStore {
  private readonly records = new Map<string, SecretRecord>();

  /**
   * @param knobs current knobs (read on every call, so run-time changes apply at once).
   * @param now clock in milliseconds.
   */
  constructor(
    private readonly knobs: () => Knobs,
    private readonly now: () => number,
  ) {}

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Advances `r` through elapsed windows; returns it, or undefined once it is gone. */
  private settle(key: string): SecretRecord | undefined {
    const r = this.records.get(key);
    if (!r) return undefined;
    const now = this.now();
    if (r.phase === 'deleting' && now >= r.phaseUntil) r.phase = 'deleted';
    if (r.phase === 'recovering' && now >= r.phaseUntil) r.phase = 'active';
    if (r.phase === 'purging' && now >= r.phaseUntil) {
      this.records.delete(key);
      return undefined;
    }
    if (r.phase === 'deleted' && r.scheduledPurgeDate !== undefined && now >= r.scheduledPurgeDate * 1000) {
      this.records.delete(key);
      return undefined;
    }
    return r;
  }

  private all(): SecretRecord[] {
    const out: SecretRecord[] = [];
    for (const key of [...this.records.keys()].sort()) {
      const r = this.settle(key);
      if (r) out.push(r);
    }
    return out;
  }

  private active(name: string, notFoundId = name): SecretRecord {
    const r = this.settle(name.toLowerCase());
    if (!r || r.phase !== 'active') throw VaultErrors.secretNotFound(notFoundId);
    return r;
  }

  private findVersion(r: SecretRecord, name: string, version: string | undefined): SecretVersion {
    if (version === undefined) return latest(r);
    const v = r.versions.find((x) => x.version === version.toLowerCase());
    if (!v) throw VaultErrors.secretNotFound(`${name}/${version}`);
    return v;
  }

  /** PUT: adds a version (creating the secret if needed). @throws 409 during or after deletion. */
  set(name: string, input: VersionInput): { record: SecretRecord; version: SecretVersion } {
    const key = name.toLowerCase();
    const existing = this.settle(key);
    if (existing?.phase === 'deleting' || existing?.phase === 'purging') throw VaultErrors.beingDeleted(name);
    if (existing?.phase === 'deleted') throw VaultErrors.deletedButRecoverable(name);
    if (existing?.phase === 'recovering') throw VaultErrors.beingRecovered(name);
    const t = this.seconds();
    const version: SecretVersion = { version: newVersionId(), value: input.value, enabled: input.enabled ?? true, created: t, updated: t };
    if (input.contentType !== undefined) version.contentType = input.contentType;
    if (input.tags !== undefined) version.tags = { ...input.tags };
    if (input.nbf !== undefined) version.nbf = input.nbf;
    if (input.exp !== undefined) version.exp = input.exp;
    const record = existing ?? { name, versions: [], phase: 'active' as const, phaseUntil: 0 };
    record.versions.push(version);
    this.records.set(key, record);
    return { record, version };
  }

  /** GET: the latest or a given version. @throws 404 when absent, 403 `SecretDisabled` when disabled. */
  get(name: string, version?: string): { record: SecretRecord; version: SecretVersion } {
    const record = this.active(name, version === undefined ? name : `${name}/${version}`);
    const v = this.findVersion(record, name, version);
    if (!v.enabled) throw VaultErrors.secretDisabled();
    return { record, version: v };
  }

  /** PATCH: updates attributes, tags or content type of a version (disabled ones too). @throws 404. */
  update(name: string, version: string | undefined, patch: VersionPatch): { record: SecretRecord; version: SecretVersion } {
    const record = this.active(name, version === undefined ? name : `${name}/${version}`);
    const v = this.findVersion(record, name, version);
    if (patch.contentType !== undefined) v.contentType = patch.contentType;
    if (patch.tags !== undefined) v.tags = { ...patch.tags };
    if (patch.enabled !== undefined) v.enabled = patch.enabled;
    if (patch.nbf !== undefined) v.nbf = patch.nbf;
    if (patch.exp !== undefined) v.exp = patch.exp;
    v.updated = this.seconds();
    return { record, version: v };
  }

  /** Versions of a secret in creation order; an unknown or deleted name has none (200 + empty list, §2.6). */
  versions(name: string): { record: SecretRecord; versions: SecretVersion[] } | undefined {
    const r = this.settle(name.toLowerCase());
    return r?.phase === 'active' ? { record: r, versions: [...r.versions] } : undefined;
  }

  /** Active secrets sorted by lower-case name. */
  list(): SecretRecord[] {
    return this.all().filter((r) => r.phase === 'active');
  }

  /** Deleted (visible) secrets sorted by lower-case name. */
  listDeleted(): SecretRecord[] {
    return this.all().filter((r) => r.phase === 'deleted');
  }

  /** DELETE: soft-deletes; the deleted secret becomes visible after `deleteDelayMs`. @throws 404. */
  delete(name: string): SecretRecord {
    const r = this.active(name);
    const k = this.knobs();
    const t = this.seconds();
    r.deletedDate = t;
    r.scheduledPurgeDate = t + k.recoverableDays * 86_400;
    r.phase = k.deleteDelayMs > 0 ? 'deleting' : 'deleted';
    r.phaseUntil = this.now() + k.deleteDelayMs;
    return r;
  }

  /** GET /deletedsecrets/{name}. @throws 404 `Deleted Secret not found` unless deleted and visible. */
  getDeleted(name: string): SecretRecord {
    const r = this.settle(name.toLowerCase());
    if (r?.phase !== 'deleted') throw VaultErrors.deletedSecretNotFound(name);
    return r;
  }

  /** Purge; the name is free after `purgeDelayMs`. @throws 403 with purge protection, 409 during windows, 404. */
  purge(name: string): void {
    const key = name.toLowerCase();
    const r = this.settle(key);
    if (r?.phase === 'deleting' || r?.phase === 'purging') throw VaultErrors.purgeWhileDeleting();
    if (r?.phase === 'recovering') throw VaultErrors.beingRecovered(name);
    if (r?.phase !== 'deleted') throw VaultErrors.deletedSecretNotFound(name);
    const k = this.knobs();
    if (k.purgeProtection) throw VaultErrors.purgeProtected();
    if (k.purgeDelayMs > 0) {
      r.phase = 'purging';
      r.phaseUntil = this.now() + k.purgeDelayMs;
    } else {
      this.records.delete(key);
    }
  }

  /** Recover; the secret is readable after `recoverDelayMs`. @throws 409 during windows, 404. */
  recover(name: string): SecretRecord {
    const r = this.settle(name.toLowerCase());
    if (r?.phase === 'deleting' || r?.phase === 'purging') throw VaultErrors.purgeWhileDeleting();
    if (r?.phase === 'recovering') throw VaultErrors.beingRecovered(name);
    if (r?.phase !== 'deleted') throw VaultErrors.secretNotFound(name);
    const k = this.knobs();
    delete r.deletedDate;
    delete r.scheduledPurgeDate;
    r.phase = k.recoverDelayMs > 0 ? 'recovering' : 'active';
    r.phaseUntil = this.now() + k.recoverDelayMs;
    return r;
  }

  /** A deep copy of an active secret, for backup. @throws 404. */
  snapshot(name: string): SecretRecord {
    return structuredClone(this.active(name));
  }

  /** Restores a backed-up secret. @throws 409 when the name is in use in any phase. */
  restore(snapshot: { name: string; versions: SecretVersion[] }): SecretRecord {
    const key = snapshot.name.toLowerCase();
    const r = this.settle(key);
    if (r?.phase === 'active') throw VaultErrors.restoreConflict(r.name);
    if (r?.phase === 'deleted') throw VaultErrors.deletedButRecoverable(r.name);
    if (r?.phase === 'deleting' || r?.phase === 'purging') throw VaultErrors.beingDeleted(r.name);
    if (r?.phase === 'recovering') throw VaultErrors.beingRecovered(r.name);
    const record: SecretRecord = { name: snapshot.name, versions: structuredClone(snapshot.versions), phase: 'active', phaseUntil: 0 };
    this.records.set(key, record);
    return record;
  }

  /** Admin: enables or disables the latest (or a given) version of an active secret. @throws 404. */
  setEnabled(name: string, enabled: boolean, version?: string): SecretVersion {
    return this.update(name, version, { enabled }).version;
  }

  /** Admin: forgets every secret, deleted ones included. */
  clear(): void {
    this.records.clear();
  }
}
