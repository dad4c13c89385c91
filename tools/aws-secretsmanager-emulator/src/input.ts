import { AwsErrors } from './aws-error.js';

/** A parsed request body: a JSON object. */
export type Input = Readonly<Record<string, unknown>>;

const typeError = (field: string, expected: string) =>
  AwsErrors.serialization(`Value for member '${field}' is not a valid ${expected}`);

/**
 * Parses an awsJson1.1 body. An empty body counts as `{}` (unit input).
 * @throws AwsError `SerializationException` for invalid JSON or a non-object.
 */
export function parseInput(body: Uint8Array): Input {
  const text = Buffer.from(body).toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw AwsErrors.serialization('Unable to parse the request body as JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw AwsErrors.serialization('Start of structure or map found where not expected');
  }
  return value as Input;
}

/** Reads an optional string member (`null` counts as absent). @throws AwsError `SerializationException` for other types. */
export function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw typeError(field, 'string');
  return value;
}

/** Reads a required string member. @throws AwsError `ValidationException` when absent, `SerializationException` for other types. */
export function requiredString(input: Input, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined) throw AwsErrors.validation(lowerFirst(field), 'Member must not be null');
  return value;
}

/** Reads an optional boolean member. @throws AwsError `SerializationException` for other types. */
export function optionalBoolean(input: Input, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw typeError(field, 'boolean');
  return value;
}

/** Reads an optional integer member. @throws AwsError `SerializationException` for other types. */
export function optionalInteger(input: Input, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(field, 'integer');
  return value;
}

/** Reads an optional list member. @throws AwsError `SerializationException` for other types. */
export function optionalList(input: Input, field: string): readonly unknown[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw typeError(field, 'list');
  return value;
}

/** Checks a length constraint the way Smithy reports it. @throws AwsError `ValidationException`. */
export function checkLength(field: string, value: string | Uint8Array, min: number, max: number): void {
  const length = typeof value === 'string' ? value.length : value.byteLength;
  if (length < min) throw AwsErrors.validation(lowerFirst(field), `Member must have length greater than or equal to ${min}`);
  if (length > max) throw AwsErrors.validation(lowerFirst(field), `Member must have length less than or equal to ${max}`);
}

/**
 * Decodes a blob member (standard base64 with padding, as the SDK sends it).
 * @throws AwsError `SerializationException` for anything else.
 */
export function decodeBlob(field: string, text: string): Uint8Array {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw AwsErrors.serialization(`Value for member '${field}' is not valid base64`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
