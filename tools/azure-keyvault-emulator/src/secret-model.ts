/**
 * The data model of stored secrets: versions, records with their lifecycle phase, and the inputs of PUT and PATCH.
 * Timestamps are integer Unix seconds; version ids are 32 lowercase hex characters (§2.2).
 */
import { randomBytes } from 'node:crypto';

/** One version of a secret. Timestamps are integer Unix seconds. */
export interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
}

/** Lifecycle phase of a name. */
export type Phase = 'active' | 'deleting' | 'deleted' | 'purging' | 'recovering';

/** A secret (all its versions) and its lifecycle state. */
export interface SecretRecord {
  name: string;
  versions: SecretVersion[];
  phase: Phase;
  /** End of the current window (ms), for `deleting`, `purging`, `recovering`. */
  phaseUntil: number;
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

/** Writable properties of a new version. */
export interface VersionInput {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

/** Properties PATCH may change. */
export interface VersionPatch {
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

/** A fresh 32-lowercase-hex version id. */
export function newVersionId(): string {
  return randomBytes(16).toString('hex');
}

/** The latest (most recently created) version of a record. */
export function latest(r: SecretRecord): SecretVersion {
  const v = r.versions[r.versions.length - 1];
  if (!v) throw new Error('secret record without versions');
  return v;
}
