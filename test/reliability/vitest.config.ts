import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/test/reliability',
  // Without 'module': @smithy/* (AWS SDK) map it to bundler-only ESM (extensionless imports) that Node cannot load.
  ssr: { resolve: { conditions: ['@kes/source', ...defaultServerConditions.filter((c) => c !== 'module')] } },
  test: {
    name: '@kes/reliability-tests',
    environment: 'node',
    // The short profile runs in CI (`npm test` runs this project last and alone: see "nx.targets" in package.json,
    // the scenarios measure latency); KES_RELIABILITY_PROFILE=long for the hour-long profile.
    include: ['src/**/*.reliability.ts'],
    // The scenarios measure latency, memory and descriptors of server processes: one file at a time so that they
    // do not load the machine for each other (the project stays within its CI time budget sequentially).
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
