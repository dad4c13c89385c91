import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/kes-server',
  ssr: { resolve: { conditions: ['@kes/source', ...defaultServerConditions] } },
  test: { name: '@kes/kes-server', environment: 'node', include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
