/**
 * The one definition of how a Lambda handler is bundled. The CDK NodejsFunction wrapper, the end-to-end
 * tier and the benchmark all build from it, so what is tested and measured is what is deployed.
 * Plain data (no aws-cdk-lib import) so tests and scripts can use it with esbuild directly.
 */

/** esbuild `target` matching the Lambda runtime the stacks pin (Node.js 22). */
export const LAMBDA_NODE_TARGET = 'node22';

/**
 * Node's ESM has no `require`; a few transitive CommonJS dependencies still call it, so the bundle defines
 * one (the banner AWS's NodejsFunction documentation suggests for ESM output).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);";

export interface LambdaBundleOptions {
  readonly format: 'esm';
  readonly target: string;
  readonly minify: boolean;
  readonly sourceMap: boolean;
  readonly mainFields: readonly string[];
  readonly banner: string;
  /** Empty: the AWS SDK is bundled (pinned by our lock file, tree-shaken) rather than taken from the runtime. */
  readonly externalModules: readonly string[];
}

export const LAMBDA_BUNDLE_OPTIONS: LambdaBundleOptions = {
  format: 'esm',
  target: LAMBDA_NODE_TARGET,
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  externalModules: [],
};

/** Handler entry points, relative to the repository root. */
export const LAMBDA_ENTRY = {
  rule: 'rule/handler.ts',
  remediation: 'remediation/handler.ts',
} as const;
