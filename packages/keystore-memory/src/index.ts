export { MemoryKeystore } from './memory-keystore.js';
export { keystoreDefinition, type MemoryKeystoreConfig } from './definition.js';
