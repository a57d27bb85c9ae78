import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** What both projects run with. */
const common = {
  environment: 'node',
  // Worker threads: about a fifth less CPU than child processes for either project here.
  pool: 'threads',
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
} as const;

export default defineConfig({
  test: {
    // The handlers log a line per evaluation and action (common/log.ts): shown only for a failing test.
    silent: 'passed-only',
    // Vitest's default (one less than the cores) ran every file in a single worker on the 2-core machine.
    // Set here and not in the projects, so that Stryker's vitest runner can still force one worker.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          ...common,
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // The stack tests load aws-cdk-lib and CloudFormation's template validator (WebAssembly) once per
          // worker instead of once per file, and share the apps test/infra/support.ts has synthesized. They
          // change no global state: each test builds its own App or reads a shared one.
          isolate: false,
        },
      },
      {
        test: {
          ...common,
          name: 'unit',
          // Isolated: aws-sdk-client-mock stubs the SDK clients' prototypes, which would leak between files.
          // test/remediation/automation-document.test.ts starts python3 once a case; spawned from the one
          // large process that holds every worker thread, a case took up to 5 s on the busy machine (load 10).
          testTimeout: 20_000,
          include: ['test/**/*.test.ts'],
          // test/privilege/recorded reads the e2e tier's recording: it runs after the tier (vitest.privilege.config.ts).
          exclude: ['test/infra/**', 'test/e2e/**', 'test/privilege/recorded/**', 'node_modules/**'],
        },
      },
    ],
  },
});
