import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/keystore-aws-secretsmanager',
  // Without 'module': @smithy/* map it to bundler-only ESM (extensionless imports) that Node cannot load.
  ssr: { resolve: { conditions: ['@kes/source', ...defaultServerConditions.filter((c) => c !== 'module')] } },
  test: {
    name: '@kes/keystore-aws-secretsmanager',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // The SDK warns once per process that releases after January 2027 need Node 22; tests must never probe IMDS.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
