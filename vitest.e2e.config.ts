import { defineConfig } from 'vitest/config';

/**
 * The end-to-end tier (`npm run test:e2e`): bundled handlers against moto_server on loopback. One emulator
 * serves the whole run and is reset before each test, so test files run one at a time.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    setupFiles: ['test/e2e/setup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Dummy credentials: moto accepts any. AWS_ENDPOINT_URL is set per run by test/e2e/setup.ts.
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
  },
});
