import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/test/contract',
  // Without 'module': @smithy/* (AWS SDK) map it to bundler-only ESM (extensionless imports) that Node cannot load.
  ssr: { resolve: { conditions: ['@kes/source', ...defaultServerConditions.filter((c) => c !== 'module')] } },
  test: { name: '@kes/contract-tests', environment: 'node', include: ['src/**/*.contract.ts'], passWithNoTests: true },
});
