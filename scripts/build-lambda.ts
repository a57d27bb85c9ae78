import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { LAMBDA_ENTRY, LAMBDA_ENTRY_FILE } from '../infra/bundling.js';
import { bundleLambda } from '../infra/local-bundling.js';

/**
 * Builds a Lambda handler the way the CDK stacks' local bundling does (infra/local-bundling.ts, from the one
 * definition in infra/bundling.ts), so the end-to-end tier and the benchmark run and measure what is deployed.
 */

export type LambdaName = keyof typeof LAMBDA_ENTRY;

export interface BuiltLambda {
  /** The code directory: `index.mjs`, its chunks under `chunks/`, a source map beside each. */
  readonly directory: string;
  /** Absolute path of the entry chunk (`index.mjs`), what Lambda imports. */
  readonly outfile: string;
  /** esbuild's account of the output files: what each holds and imports. */
  readonly metafile: Metafile;
}

/**
 * Bundles `entry` (relative to the repository root) into `directory`; esbuild's errors, and its warnings as
 * LambdaBundleWarningError, propagate.
 */
export function buildEntry(entry: string, directory: string): BuiltLambda {
  const metafile = bundleLambda(entry, directory);
  return { directory, outfile: join(directory, LAMBDA_ENTRY_FILE), metafile };
}

/**
 * Bundles the handler `name` into `<outDir>/<name>/` (see {@link buildEntry}). Asynchronous, as its callers (the
 * end-to-end tier's) await a build, though the bundler is synchronous: CDK's local bundling must be.
 */
export async function buildLambda(name: LambdaName, outDir: string): Promise<BuiltLambda> {
  return buildEntry(LAMBDA_ENTRY[name], join(outDir, name));
}
