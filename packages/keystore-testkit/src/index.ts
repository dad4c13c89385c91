export { describeKeystore } from './describe-keystore.js';
export type { CapabilitySetting, DescribeKeystoreOptions, KeystoreCapability } from './types.js';
export { expectKesError } from './assertions.js';
