import { AwsErrors } from './aws-error.js';
import { optionalString, requiredString, type Input } from './input.js';
import { arnAndName, epochSeconds, isDeleting, type OpContext } from './op-context.js';
import type { StoredSecret } from './secret-store.js';

/** The `{"<version id>": ["AWSCURRENT"]}` map of a secret. */
export function versionsToStages(secret: StoredSecret): Record<string, string[]> {
  return secret.version ? { [secret.version.id]: ['AWSCURRENT'] } : {};
}

/** The metadata fields DescribeSecret and ListSecrets share. */
export function describeFields(secret: StoredSecret): object {
  return {
    ...arnAndName(secret),
    ...(secret.description !== undefined ? { Description: secret.description } : {}),
    ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
    CreatedDate: epochSeconds(secret.createdMs),
    LastChangedDate: epochSeconds(secret.lastChangedMs),
    ...(secret.lastAccessedMs !== undefined ? { LastAccessedDate: epochSeconds(secret.lastAccessedMs) } : {}),
    ...(secret.deletedMs !== undefined ? { DeletedDate: epochSeconds(secret.deletedMs) } : {}),
    ...(secret.tags.length > 0 ? { Tags: secret.tags } : {}),
  };
}

/**
 * GetSecretValue of the `AWSCURRENT` version (or the one `VersionId`/`VersionStage` names).
 * @throws AwsError `ResourceNotFoundException` (no such secret or version), `InvalidRequestException` (marked for
 *   deletion), `DecryptionFailure` (its KMS key is disabled by the knob).
 */
export function getSecretValue(input: Input, ctx: OpContext): object {
  const secret = ctx.store.find(requiredString(input, 'SecretId'));
  const versionId = optionalString(input, 'VersionId');
  const stage = optionalString(input, 'VersionStage');
  if (secret === undefined) throw AwsErrors.notFound();
  if (isDeleting(secret)) throw AwsErrors.markedForDeletion();
  const version = secret.version;
  if (version === undefined) throw AwsErrors.valueNotFound(`staging label: ${stage ?? 'AWSCURRENT'}`);
  if (versionId !== undefined && versionId !== version.id) throw AwsErrors.valueNotFound(`VersionId: ${versionId}`);
  if (stage !== undefined && stage !== 'AWSCURRENT') throw AwsErrors.valueNotFound(`staging label: ${stage}`);
  if (secret.kmsKeyId !== undefined && ctx.knobs.disabledKmsKeys.includes(secret.kmsKeyId)) {
    throw AwsErrors.decryptionFailure(secret.kmsKeyId);
  }
  secret.lastAccessedMs = ctx.now - (ctx.now % 86_400_000); // AWS keeps the date only
  const value = version.value.kind === 'string' ? { SecretString: version.value.text } : { SecretBinary: Buffer.from(version.value.bytes).toString('base64') };
  return {
    ...arnAndName(secret),
    VersionId: version.id,
    ...value,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: epochSeconds(version.createdMs),
  };
}

/**
 * DescribeSecret: metadata, also of a secret scheduled for deletion (with `DeletedDate`).
 * @throws AwsError `ResourceNotFoundException`.
 */
export function describeSecret(input: Input, ctx: OpContext): object {
  const secret = ctx.store.find(requiredString(input, 'SecretId'));
  if (secret === undefined) throw AwsErrors.notFound();
  return { ...describeFields(secret), VersionIdsToStages: versionsToStages(secret) };
}
