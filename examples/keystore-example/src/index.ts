export { JsonFileKeystore } from './json-file-keystore.js';
export { keystoreDefinition, keystoreDefinition as default, type JsonFileKeystoreConfig } from './definition.js';
