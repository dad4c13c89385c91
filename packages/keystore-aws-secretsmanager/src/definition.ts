import type { KeystoreDefinition } from '@kes/core';
import { AwsSecretsManagerKeystore } from './aws-keystore.js';
import { validateAwsSecretsManagerBlock, type AwsSecretsManagerConfig } from './config.js';

/**
 * The backend definition for the KES block `keystore: { aws: { secretsmanager: { endpoint, region, kmskey,
 * credentials: { accesskey, secretkey, token } } } }` (spec aws-vault.md §1.1). `validate` reports every problem
 * with its path and a hint; `create` builds the SDK client without touching the network (health is probed through
 * `status`). Empty credentials select the SDK's default credential chain.
 */
export const keystoreDefinition: KeystoreDefinition<AwsSecretsManagerConfig> = {
  name: 'aws.secretsmanager',
  title: 'AWS Secrets Manager',
  validate: validateAwsSecretsManagerBlock,
  async create(config) {
    return new AwsSecretsManagerKeystore({
      endpoint: config.endpoint,
      region: config.region,
      ...(config.kmsKey !== undefined ? { kmsKey: config.kmsKey } : {}),
      ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
    });
  },
  describe(config) {
    return `${config.endpoint} (region ${config.region})`;
  },
};
