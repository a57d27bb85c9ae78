import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    // The handlers log a line per evaluation and action (common/log.ts): shown only for a failing test.
    silent: 'passed-only',
    // Unit tests never reach a network: a stray real SDK call must fail fast rather than hang.
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      // The SDK's own switch for its Node.js 20 end-of-support notice (aws/aws-sdk-js-v3#7983, read in
      // @aws-sdk/core emitWarningIfUnsupportedVersion): once per worker, it filled the log with 24 copies.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
