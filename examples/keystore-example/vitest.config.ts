import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/examples/keystore-example',
  ssr: { resolve: { conditions: ['@kes/source', ...defaultServerConditions] } },
  test: { name: 'kes-keystore-example', environment: 'node', include: ['src/**/*.test.ts'] },
});
