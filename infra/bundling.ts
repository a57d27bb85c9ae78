/**
 * The one definition of how a Lambda handler is bundled. The CDK construct (infra/guard-function.ts through
 * infra/local-bundling.ts), the end-to-end tier and the benchmark all build from it, so what is tested and
 * measured is what is deployed. No aws-cdk-lib and no runtime esbuild import (only its types), so tests and
 * scripts can use it without either.
 */

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** Repository root: entries and node_modules are resolved from here. */
export const REPOSITORY_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** esbuild `target` matching the Lambda runtime the stacks pin (Node.js 22). */
export const LAMBDA_NODE_TARGET = 'node22';

/**
 * Node's ESM has no `require`; a few transitive CommonJS dependencies still call it, so each output file defines
 * one (the banner AWS's NodejsFunction documentation suggests for ESM output).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);";

/** The entry chunk's name, without its extension: Lambda's handler setting names it. */
const ENTRY_NAME = 'index';

/** The entry chunk, at the root of the function's code. */
export const LAMBDA_ENTRY_FILE = `${ENTRY_NAME}.mjs`;

/** The function's handler setting: the `handler` export of {@link LAMBDA_ENTRY_FILE}. */
export const LAMBDA_HANDLER = `${ENTRY_NAME}.handler`;

export interface LambdaBundleOptions {
  readonly format: 'esm';
  readonly target: string;
  /** Whitespace and syntax are minified; identifiers never are (see LAMBDA_BUNDLE_OPTIONS). */
  readonly minifyWhitespace: boolean;
  readonly minifySyntax: boolean;
  /** Keeps each function's and class's `name` property through esbuild's renaming of clashing identifiers. */
  readonly keepNames: boolean;
  /**
   * Code splitting: each module reached only by a dynamic `import()` (the SDK clients a run may not need, the SDK's
   * own lazily loaded credential providers) goes to a chunk of its own, read and parsed only when imported.
   */
  readonly splitting: boolean;
  /** Where the chunks go, relative to the entry: a folder beside `index.mjs`, in the same asset. */
  readonly chunkNames: string;
  /** An external `.map` beside each output file, for mapping a stack trace to the sources offline. */
  readonly sourceMap: boolean;
  /** Whether the maps embed the sources (the repository has them at the deployed commit). */
  readonly sourcesContent: boolean;
  readonly mainFields: readonly string[];
  readonly banner: string;
  /** Empty: the AWS SDK is bundled (pinned by our lock file, tree-shaken) rather than taken from the runtime. */
  readonly externalModules: readonly string[];
}

/**
 * Chosen by what `npm run bench` measures at cold start (docs/performance.md). Identifiers are not mangled, so a
 * stack trace in the Lambda log names the functions it went through without runtime source maps; Node's
 * `--enable-source-maps` is left off because it made the rule's import about a third slower. The maps are still
 * written beside the code, where nothing loads them at start-up.
 */
export const LAMBDA_BUNDLE_OPTIONS: LambdaBundleOptions = {
  format: 'esm',
  target: LAMBDA_NODE_TARGET,
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  externalModules: [],
};

/**
 * esbuild's options for bundling `entry` (relative to the repository root, or absolute) from {@link LAMBDA_BUNDLE_OPTIONS} into
 * the directory `outdir`: `index.mjs` there, its chunks (`.mjs`) under `chunks/`, a `.map` beside each. esbuild
 * logs nothing; its errors are thrown and its warnings returned, for the caller to refuse (see local-bundling.ts).
 */
export function lambdaBuildOptions(entry: string, outdir: string): BuildOptions & { outdir: string } {
  const options = LAMBDA_BUNDLE_OPTIONS;
  return {
    absWorkingDir: REPOSITORY_ROOT,
    entryPoints: { [ENTRY_NAME]: resolve(REPOSITORY_ROOT, entry) },
    outdir,
    entryNames: '[name]',
    chunkNames: options.chunkNames,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: options.splitting,
    platform: 'node',
    format: options.format,
    target: options.target,
    minifyWhitespace: options.minifyWhitespace,
    minifySyntax: options.minifySyntax,
    minifyIdentifiers: false,
    keepNames: options.keepNames,
    sourcemap: options.sourceMap,
    sourcesContent: options.sourcesContent,
    mainFields: [...options.mainFields],
    banner: { js: options.banner },
    external: [...options.externalModules],
    logLevel: 'silent',
  };
}

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
