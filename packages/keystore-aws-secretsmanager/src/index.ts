/**
 * `@kes/keystore-aws-secretsmanager`: the KES `keystore.aws.secretsmanager` backend on `@aws-sdk/client-secrets-manager`.
 */
export { AwsSecretsManagerKeystore } from './aws-keystore.js';
export { keystoreDefinition } from './definition.js';
export { validateAwsSecretsManagerBlock, type AwsSecretsManagerConfig, type AwsStaticCredentials } from './config.js';
export { normalizeEndpoint, type EndpointResult } from './endpoint.js';
export { type AwsSecretsManagerKeystoreOptions, type PendingDeletionRetry } from './options.js';
export { translateAwsError, isPendingDeletion, isNetworkError, awsErrorCode, type AwsOperation } from './aws-errors.js';
export { AWS_MAX_SECRET_BYTES } from './value-codec.js';
