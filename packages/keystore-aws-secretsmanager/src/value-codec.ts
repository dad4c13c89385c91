import { Errors } from '@kes/core';

/** Largest secret value AWS Secrets Manager stores: 65 536 bytes (SecretString and SecretBinary alike). */
export const AWS_MAX_SECRET_BYTES = 65_536;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

/** The value part of a CreateSecret request. */
export type SecretValueInput = { SecretString: string; SecretBinary?: never } | { SecretBinary: Uint8Array; SecretString?: never };

/**
 * Chooses how a keystore value is stored. Valid UTF-8 (every value the KES server stores: the stored-key text is
 * ASCII) becomes `SecretString`, exactly as upstream KES writes it. Anything else becomes `SecretBinary`, which
 * upstream KES reads back byte for byte as well, so arbitrary bytes round-trip.
 *
 * @returns a fresh input (a copy: the caller may reuse `value`). Never throws.
 */
export function toSecretValue(value: Uint8Array): SecretValueInput {
  try {
    return { SecretString: strictUtf8.decode(value) };
  } catch {
    return { SecretBinary: value.slice() };
  }
}

/**
 * The value of a GetSecretValue response: `SecretString` as UTF-8 if present, else `SecretBinary` (KES's order).
 * @throws KesError `INVALID_STORED_KEY` when the secret has neither (nothing KES could have written).
 */
export function fromSecretValue(name: string, output: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }): Uint8Array {
  if (typeof output.SecretString === 'string') return utf8.encode(output.SecretString);
  if (output.SecretBinary instanceof Uint8Array) return output.SecretBinary.slice();
  throw Errors.invalidStoredKey(`aws: secret '${name}' has neither SecretString nor SecretBinary`);
}
