import { randomUUID } from 'node:crypto';
import { AwsErrors } from './aws-error.js';
import { checkLength, decodeBlob, optionalBoolean, optionalInteger, optionalList, optionalString, requiredString, type Input } from './input.js';
import { arnAndName, epochSeconds, isDeleting, type OpContext } from './op-context.js';
import type { SecretValue } from './secret-store.js';

/** Secret names AWS accepts (besides the 1–512 length). */
const NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const MAX_SECRET_BYTES = 65_536;
const DAY_MS = 86_400_000;

function readTags(input: Input): { Key: string; Value: string }[] {
  return (optionalList(input, 'Tags') ?? []).map((tag) => {
    const t = (typeof tag === 'object' && tag !== null ? tag : {}) as Input;
    return { Key: optionalString(t, 'Key') ?? '', Value: optionalString(t, 'Value') ?? '' };
  });
}

/**
 * CreateSecret: a new secret with an `AWSCURRENT` version whose id is the `ClientRequestToken` (spec §2.2).
 * @throws AwsError `ResourceExistsException` (name taken), `InvalidRequestException` (name scheduled for deletion),
 *   `InvalidParameterException` (bad name, both value kinds), `ValidationException` (lengths), `EncryptionFailure`.
 */
export function createSecret(input: Input, ctx: OpContext): object {
  const name = requiredString(input, 'Name');
  checkLength('Name', name, 1, 512);
  if (!NAME.test(name)) {
    throw AwsErrors.invalidParameter('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  }
  const token = optionalString(input, 'ClientRequestToken') ?? randomUUID();
  checkLength('ClientRequestToken', token, 32, 64);
  const text = optionalString(input, 'SecretString');
  const blob = optionalString(input, 'SecretBinary');
  if (text !== undefined && blob !== undefined) {
    throw AwsErrors.invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  let value: SecretValue | undefined;
  if (text !== undefined) {
    checkLength('SecretString', Buffer.from(text, 'utf8'), 0, MAX_SECRET_BYTES);
    value = { kind: 'string', text };
  } else if (blob !== undefined) {
    const bytes = decodeBlob('SecretBinary', blob);
    checkLength('SecretBinary', bytes, 0, MAX_SECRET_BYTES);
    value = { kind: 'binary', bytes };
  }
  const kmsKeyId = optionalString(input, 'KmsKeyId');
  const description = optionalString(input, 'Description');
  const tags = readTags(input);
  const existing = ctx.store.find(name);
  if (existing !== undefined) throw isDeleting(existing) ? AwsErrors.createWhileDeleting() : AwsErrors.resourceExists(name);
  if (kmsKeyId !== undefined && ctx.knobs.disabledKmsKeys.includes(kmsKeyId)) throw AwsErrors.encryptionFailure(kmsKeyId);
  const secret = ctx.store.add({
    name,
    createdMs: ctx.now,
    version: value === undefined ? undefined : { id: token, value, createdMs: ctx.now },
    kmsKeyId,
    description,
    tags,
  });
  return { ...arnAndName(secret), ...(secret.version ? { VersionId: secret.version.id } : {}) };
}

/**
 * DeleteSecret (spec §2.2, §2.6): with `ForceDeleteWithoutRecovery` the secret goes after the `forceDeleteDelayMs`
 * knob (at once by default) and a missing secret is **not** an error; otherwise it is scheduled for deletion after
 * `RecoveryWindowInDays` (7–30, default 30).
 * @throws AwsError `ResourceNotFoundException` (missing, without force), `InvalidParameterException` (force and a
 *   window, window out of range), `InvalidRequestException` (already scheduled, without force).
 */
export function deleteSecret(input: Input, ctx: OpContext): object {
  const secretId = requiredString(input, 'SecretId');
  const force = optionalBoolean(input, 'ForceDeleteWithoutRecovery') ?? false;
  const days = optionalInteger(input, 'RecoveryWindowInDays');
  if (force && days !== undefined) {
    throw AwsErrors.invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  if (days !== undefined && (days < 7 || days > 30)) {
    throw AwsErrors.invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
  const secret = ctx.store.find(secretId);
  if (secret === undefined) {
    if (!force) throw AwsErrors.notFound();
    const name = secretId.startsWith('arn:') ? (secretId.split(':secret:')[1] ?? secretId) : secretId;
    return { ARN: ctx.store.arnOf(name), Name: name, DeletionDate: epochSeconds(ctx.now) };
  }
  if (force) {
    const purgeAt = ctx.now + ctx.knobs.forceDeleteDelayMs;
    secret.deletedMs ??= ctx.now;
    secret.purgeAtMs = Math.min(secret.purgeAtMs ?? purgeAt, purgeAt);
    secret.forced = true;
    if (secret.purgeAtMs <= ctx.now) ctx.store.remove(secret.name);
    return { ...arnAndName(secret), DeletionDate: epochSeconds(ctx.now) };
  }
  if (isDeleting(secret)) throw AwsErrors.markedForDeletion();
  secret.deletedMs = ctx.now;
  secret.purgeAtMs = ctx.now + (days ?? 30) * DAY_MS;
  secret.lastChangedMs = ctx.now;
  return { ...arnAndName(secret), DeletionDate: epochSeconds(secret.purgeAtMs) };
}

/**
 * RestoreSecret: cancels a deletion scheduled with a recovery window; a no-op for an active secret.
 * @throws AwsError `ResourceNotFoundException`; `InvalidRequestException` for a secret being force-deleted.
 */
export function restoreSecret(input: Input, ctx: OpContext): object {
  const secret = ctx.store.find(requiredString(input, 'SecretId'));
  if (secret === undefined) throw AwsErrors.notFound();
  if (secret.forced) throw AwsErrors.forceDeleted();
  if (isDeleting(secret)) {
    secret.deletedMs = undefined;
    secret.purgeAtMs = undefined;
    secret.lastChangedMs = ctx.now;
  }
  return arnAndName(secret);
}
