export { FsKeystore, FS_MAX_VALUE_BYTES, type FsKeystoreOptions } from './fs-keystore.js';
export { isValidFsKeyName, assertFsKeyName } from './fs-names.js';
export { nodeFsIo, FileTooLargeError, type FsIo, type DirHandle } from './fs-io.js';
export { removeStaleTempFiles, STALE_TEMP_AGE_MS } from './fs-temp-sweep.js';
export { keystoreDefinition, type FsKeystoreConfig } from './definition.js';
