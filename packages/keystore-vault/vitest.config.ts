import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/keystore-vault',
  ssr: { resolve: { conditions: ['@kes/source', ...defaultServerConditions] } },
  test: { name: '@kes/keystore-vault', environment: 'node', include: ['src/**/*.test.ts'] },
});
