/**
 * An error the emulator answers with, in the awsJson1.1 shape AWS uses (spec aws-vault.md §2.3): HTTP `status`,
 * body `{"__type": code, "Message": message}` and the `x-amzn-ErrorType: code` header.
 */
export class AwsError extends Error {
  override readonly name = 'AwsError';

  /**
   * @param code - the AWS error code (`ResourceNotFoundException`, …), sent as `__type`.
   * @param message - the text sent as `Message`.
   * @param status - HTTP status: 400 for client errors, 500 for `InternalServiceError`.
   */
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
  }
}

/** Factories for the errors the emulator produces, with AWS's message texts where known. */
export const AwsErrors = {
  resourceExists: (name: string) =>
    new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`),
  notFound: () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
  valueNotFound: (what: string) =>
    new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}.`),
  createWhileDeleting: () =>
    new AwsError(
      'InvalidRequestException',
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    ),
  markedForDeletion: () =>
    new AwsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion."),
  forceDeleted: () =>
    new AwsError('InvalidRequestException', "You can't perform this operation on the secret because it was deleted."),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
  /** Smithy-style constraint violation (`1 validation error detected: …`). */
  validation: (member: string, constraint: string) =>
    new AwsError('ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`),
  serialization: (message: string) => new AwsError('SerializationException', message),
  invalidNextToken: () => new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.'),
  unknownOperation: () => new AwsError('UnknownOperationException', ''),
  encryptionFailure: (key: string) => new AwsError('EncryptionFailure', `Access to KMS is not allowed (KMS key ${key} is disabled).`),
  decryptionFailure: (key: string) =>
    new AwsError('DecryptionFailure', `Secrets Manager can't decrypt the protected secret text using the provided KMS key ${key}.`),
  throttling: () => new AwsError('ThrottlingException', 'Rate exceeded'),
  internal: () => new AwsError('InternalServiceError', 'An error occurred on the server side.', 500),
  accessDenied: (account: string, operation: string) =>
    new AwsError(
      'AccessDeniedException',
      `User: arn:aws:iam::${account}:user/kes is not authorized to perform: secretsmanager:${operation} because no identity-based policy allows the secretsmanager:${operation} action`,
    ),
  missingToken: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token'),
  incompleteSignature: (message: string) => new AwsError('IncompleteSignatureException', message),
  unrecognizedClient: () => new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
  invalidSignature: (message: string) => new AwsError('InvalidSignatureException', message),
} as const;
