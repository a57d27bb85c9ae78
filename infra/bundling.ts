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
  /** Whitespace and syntax are minified; identifiers never are (see LAMBDA_BUNDLE_OPTIONS). */
  readonly minifyWhitespace: boolean;
  readonly minifySyntax: boolean;
  /** Keeps each function's and class's `name` property through esbuild's renaming of clashing identifiers. */
  readonly keepNames: boolean;
  /** An external `index.mjs.map` beside the bundle, for mapping a stack trace to the sources offline. */
  readonly sourceMap: boolean;
  /** Whether the map embeds the sources (the repository has them at the deployed commit). */
  readonly sourcesContent: boolean;
  readonly mainFields: readonly string[];
  readonly banner: string;
  /** Empty: the AWS SDK is bundled (pinned by our lock file, tree-shaken) rather than taken from the runtime. */
  readonly externalModules: readonly string[];
}

/**
 * Chosen by what `npm run bench` measures at cold start (docs/performance.md). Identifiers are not mangled, so a
 * stack trace in the Lambda log names the functions it went through without runtime source maps; Node's
 * `--enable-source-maps` is left off because it made the rule's import about a third slower. The map is still
 * written beside the bundle, where nothing loads it at start-up.
 */
export const LAMBDA_BUNDLE_OPTIONS: LambdaBundleOptions = {
  format: 'esm',
  target: LAMBDA_NODE_TARGET,
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  externalModules: [],
};

/**
 * Environment variables every function gets besides its own. Empty on purpose: no NODE_OPTIONS, so no runtime
 * source maps. The benchmark and the end-to-end tier run the bundles with exactly these, like the stacks.
 */
export const LAMBDA_ENVIRONMENT: Readonly<Record<string, string>> = {};

/** Handler entry points, relative to the repository root. */
export const LAMBDA_ENTRY = {
  rule: 'rule/handler.ts',
  remediation: 'remediation/handler.ts',
} as const;
