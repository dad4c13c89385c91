import { KeystoreRegistry, type LazyKeystore, type ModuleImporter } from './registry.js';
import { validateSpecBlock } from './spec-blocks.js';

const spec = (name: string) => (block: unknown) => validateSpecBlock(name, block);

/**
 * The built-in `keystore:` blocks: every block of upstream KES (spec §6.3) plus `memory` (this project's
 * non-persistent store, also what dev mode uses), each with the package that implements it. Packages are imported
 * only when their block is used.
 */
export const BUILTIN_KEYSTORES: readonly LazyKeystore[] = [
  { name: 'fs', title: 'Filesystem', packageName: '@kes/keystore-fs', fallbackValidate: spec('fs') },
  { name: 'memory', title: 'In-memory (volatile)', packageName: '@kes/keystore-memory', fallbackValidate: spec('memory') },
  { name: 'azure.keyvault', title: 'Azure Key Vault', packageName: '@kes/keystore-azure-keyvault', fallbackValidate: spec('azure.keyvault') },
  { name: 'aws.secretsmanager', title: 'AWS Secrets Manager', packageName: '@kes/keystore-aws-secretsmanager', fallbackValidate: spec('aws.secretsmanager') },
  { name: 'vault', title: 'Hashicorp Vault', packageName: '@kes/keystore-vault', fallbackValidate: spec('vault') },
  { name: 'gcp.secretmanager', title: 'GCP Secret Manager', packageName: '@kes/keystore-gcp-secretmanager', fallbackValidate: spec('gcp.secretmanager') },
  { name: 'fortanix.sdkms', title: 'Fortanix SDKMS', packageName: '@kes/keystore-fortanix-sdkms', fallbackValidate: spec('fortanix.sdkms') },
  { name: 'gemalto.keysecure', title: 'Gemalto KeySecure', packageName: '@kes/keystore-gemalto-keysecure', fallbackValidate: spec('gemalto.keysecure') },
  { name: 'entrust.keycontrol', title: 'Entrust KeyControl', packageName: '@kes/keystore-entrust-keycontrol', fallbackValidate: spec('entrust.keycontrol') },
  {
    name: 'kes',
    title: 'KES server',
    fallbackValidate: spec('kes'),
    unsupportedReason: 'a KES server as keystore existed only until 2023-10 (upstream KES parses this block but ignores it)',
  },
];

/**
 * A registry with every {@link BUILTIN_KEYSTORES} entry registered lazily.
 * @param importModule - how backend packages are imported; pass `(s) => import(s)` from the app so that packages
 *   resolve from the app's dependencies.
 */
export function createKeystoreRegistry(importModule?: ModuleImporter): KeystoreRegistry {
  const registry = new KeystoreRegistry(importModule);
  for (const entry of BUILTIN_KEYSTORES) registry.registerLazy(entry);
  return registry;
}
