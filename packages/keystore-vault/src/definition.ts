import type { KeystoreDefinition } from '@kes/core';
import type { VaultKeystoreConfig } from './config.js';
import { validateVaultBlock } from './validate-config.js';
import { VaultKeystore } from './vault-keystore.js';

/**
 * The backend definition of {@link VaultKeystore} for the KES block `keystore: { vault: … }` (spec `aws-vault.md`
 * §3.1). `validate` reports every problem of the block with its path and a hint; `create` reads the TLS files (a bad
 * file stops the start with a message naming it) and starts the background login without waiting for Vault.
 */
export const keystoreDefinition: KeystoreDefinition<VaultKeystoreConfig> = {
  name: 'vault',
  title: 'Hashicorp Vault',
  validate: validateVaultBlock,
  async create(config, context) {
    context.signal?.throwIfAborted();
    return VaultKeystore.open(config, { cwd: context.cwd, warn: context.warn });
  },
  describe(config) {
    const where = [`K/V ${config.version} at ${config.engine}/${config.prefix === '' ? '' : `${config.prefix}/`}`];
    if (config.namespace !== '') where.push(`namespace ${config.namespace}`);
    if (config.transit) where.push(`transit key ${config.transit.key}`);
    where.push(`${config.auth.method === 'approle' ? 'AppRole' : 'Kubernetes'} login`);
    return `${config.endpoint} (${where.join(', ')})`;
  },
};
