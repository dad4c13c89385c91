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
    // Opt-in while the suite is being finished (issue 7): `KES_RELIABILITY=1 npx nx test reliability-tests`
    // (KES_RELIABILITY_PROFILE=long for the hour-long profile). The default test run does not include it yet.
    include: process.env['KES_RELIABILITY'] ? ['src/**/*.reliability.ts'] : [],
    passWithNoTests: true,
    // The scenarios measure latency, memory and descriptors of server processes: one file at a time so that they
    // do not load the machine for each other (the project stays within its CI time budget sequentially).
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
