/**
 * `@kes/aws-secretsmanager-emulator`: an offline AWS Secrets Manager (awsJson1.1 + SigV4) with deletion windows,
 * paging and fault knobs, for testing with the real `@aws-sdk/client-secrets-manager`.
 */
export { startSecretsManagerEmulator, type EmulatorCredentials, type EmulatorOptions, type SecretsManagerEmulator } from './emulator.js';
export { defaultKnobs, validateKnobPatch, OPERATIONS, type Knobs, type Operation, type Outage } from './knobs.js';
export { type RequestLogEntry } from './request-log.js';
export { AwsError, AwsErrors } from './aws-error.js';
export { verifySigV4, type SignedRequest, type KnownSecret, type VerifyOptions } from './sigv4.js';
