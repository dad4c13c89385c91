import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/tools/azure-keyvault-emulator',
  ssr: { resolve: { conditions: ['@kes/source', ...defaultServerConditions] } },
  test: { name: '@kes/azure-keyvault-emulator', environment: 'node', include: ['src/**/*.test.ts'] },
});
