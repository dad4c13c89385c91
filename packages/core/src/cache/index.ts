export * from './key-cache.js';
export * from './options.js';
