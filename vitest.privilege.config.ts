import { defineConfig } from 'vitest/config';

/**
 * The least-privilege check (issue 27), run by `npm run test:e2e` right after the e2e tier: it reads the requests
 * the tier recorded (test/e2e/call-recorder.ts) and resolves each against the synthesized templates. No network.
 */
export default defineConfig({
  test: {
    include: ['test/privilege/recorded/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    // Synthesizing the organization's hubs (and their spoke) takes seconds on a busy machine.
    hookTimeout: 120_000,
    testTimeout: 120_000,
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    },
  },
});
