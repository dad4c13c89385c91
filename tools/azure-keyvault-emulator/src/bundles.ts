/**
 * JSON shapes of the secrets API (shared/spec/azure-keyvault.md §2.2): SecretBundle, DeletedSecretBundle,
 * SecretItem and DeletedSecretItem. Ids are `<base>/secrets/<name>[/<version>]` with no path prefix, where `<base>`
 * comes from the request's Host header (§4.6 pitfall 4).
 */
import { latest, type SecretRecord, type SecretVersion } from './secret-model.js';

/** Vault-wide values that appear in attributes. */
export interface VaultAttributesContext {
  /** `https://host:port` of the vault as the client addressed it. */
  base: string;
  recoveryLevel: string;
  recoverableDays: number;
}

/** `attributes` object: enabled, nbf?, exp?, created, updated, recoveryLevel, recoverableDays. */
export function attributesJson(v: SecretVersion, ctx: VaultAttributesContext): Record<string, unknown> {
  const a: Record<string, unknown> = { enabled: v.enabled };
  if (v.nbf !== undefined) a['nbf'] = v.nbf;
  if (v.exp !== undefined) a['exp'] = v.exp;
  a['created'] = v.created;
  a['updated'] = v.updated;
  a['recoveryLevel'] = ctx.recoveryLevel;
  a['recoverableDays'] = ctx.recoverableDays;
  return a;
}

function secretId(ctx: VaultAttributesContext, name: string, version?: string): string {
  return version === undefined ? `${ctx.base}/secrets/${name}` : `${ctx.base}/secrets/${name}/${version}`;
}

/**
 * SecretBundle of one version: `value`? , `contentType`?, `id` (versioned), `attributes`, `tags`?.
 * @param withValue false for PATCH, recover and restore answers (no value, like the real service).
 */
export function secretBundle(r: SecretRecord, v: SecretVersion, ctx: VaultAttributesContext, withValue: boolean): Record<string, unknown> {
  const b: Record<string, unknown> = {};
  if (withValue) b['value'] = v.value;
  if (v.contentType !== undefined) b['contentType'] = v.contentType;
  b['id'] = secretId(ctx, r.name, v.version);
  b['attributes'] = attributesJson(v, ctx);
  if (v.tags !== undefined) b['tags'] = { ...v.tags };
  return b;
}

/** DeletedSecretBundle (no value): recoveryId, deletedDate, scheduledPurgeDate, then the latest version's bundle. */
export function deletedSecretBundle(r: SecretRecord, ctx: VaultAttributesContext): Record<string, unknown> {
  return {
    recoveryId: `${ctx.base}/deletedsecrets/${r.name}`,
    deletedDate: r.deletedDate,
    scheduledPurgeDate: r.scheduledPurgeDate,
    ...secretBundle(r, latest(r), ctx, false),
  };
}

/** SecretItem of a list: unversioned id (secrets list) or versioned id (versions list). */
export function secretItem(r: SecretRecord, v: SecretVersion, ctx: VaultAttributesContext, versioned: boolean): Record<string, unknown> {
  const item: Record<string, unknown> = { id: secretId(ctx, r.name, versioned ? v.version : undefined) };
  if (v.contentType !== undefined) item['contentType'] = v.contentType;
  item['attributes'] = attributesJson(v, ctx);
  if (v.tags !== undefined) item['tags'] = { ...v.tags };
  return item;
}

/** DeletedSecretItem of the deleted list: recoveryId, deletedDate, scheduledPurgeDate + the unversioned item. */
export function deletedSecretItem(r: SecretRecord, ctx: VaultAttributesContext): Record<string, unknown> {
  return {
    recoveryId: `${ctx.base}/deletedsecrets/${r.name}`,
    deletedDate: r.deletedDate,
    scheduledPurgeDate: r.scheduledPurgeDate,
    ...secretItem(r, latest(r), ctx, false),
  };
}
