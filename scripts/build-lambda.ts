import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { LAMBDA_BUNDLE_OPTIONS, LAMBDA_ENTRY } from '../infra/bundling.js';

/**
 * Builds a Lambda handler with esbuild's JS API from the one bundling definition the CDK stacks use
 * (infra/bundling.ts), so the end-to-end tier and the benchmark run and measure what is deployed.
 */

export type LambdaName = keyof typeof LAMBDA_ENTRY;

export interface BuiltLambda {
  /** Absolute path of the ESM bundle (`index.mjs`, the file name NodejsFunction gives ESM output). */
  readonly outfile: string;
  /** Size of the bundle in bytes, source map excluded. */
  readonly bytes: number;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The esbuild options equivalent to what NodejsFunction passes on the command line for
 * {@link LAMBDA_BUNDLE_OPTIONS}: same entry, format, target, minification, names, source map, main fields,
 * banner and externals, for the Node.js platform.
 */
export function esbuildOptionsFor(name: LambdaName, outDir: string): BuildOptions & { outfile: string } {
  const options = LAMBDA_BUNDLE_OPTIONS;
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(REPO_ROOT, LAMBDA_ENTRY[name])],
    outfile: join(outDir, name, 'index.mjs'),
    bundle: true,
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

/** Bundles the handler `name` into `<outDir>/<name>/index.mjs`; esbuild's errors propagate unchanged. */
export async function buildLambda(name: LambdaName, outDir: string): Promise<BuiltLambda> {
  const options = esbuildOptionsFor(name, outDir);
  await build(options);
  return { outfile: options.outfile, bytes: (await stat(options.outfile)).size };
}
