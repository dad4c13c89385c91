import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/keystore-azure-keyvault',
  ssr: { resolve: { conditions: ['@kes/source', ...defaultServerConditions] } },
  test: { name: '@kes/keystore-azure-keyvault', environment: 'node', include: ['src/**/*.test.ts'] },
});
