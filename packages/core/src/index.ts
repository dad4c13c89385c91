export * from './errors.js';
export * from './keystore.js';
