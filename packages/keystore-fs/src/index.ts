export { FsKeystore, FS_MAX_VALUE_BYTES, type FsKeystoreOptions } from './fs-keystore.js';
export { isValidFsKeyName, assertFsKeyName } from './fs-names.js';
export { nodeFsIo, FileTooLargeError, type FsIo } from './fs-io.js';
export { keystoreDefinition, type FsKeystoreConfig } from './definition.js';
