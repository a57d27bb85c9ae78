import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { LAMBDA_NODE_TARGET } from '../infra/bundling.js';
import { type BuiltLambda, buildEntry, buildLambda, type LambdaName } from '../scripts/build-lambda.js';

/**
 * Stage 1: each Lambda bundled with the one option set the CDK stacks use (via scripts/build-lambda.ts), with
 * esbuild's metafile to tell what loads at cold start (the entry chunk and the chunks it imports statically;
 * chunks reached by `import()` load on first use) and to attribute those bytes to packages.
 */

export interface PackageShare {
  /** npm package name, or `(own code)` for this repository's sources. */
  readonly name: string;
  readonly bytes: number;
}

export interface BundleMeasurement {
  readonly name: string;
  /** Absolute path of the entry chunk (`index.mjs`; its chunks and source maps sit beside it). */
  readonly outfile: string;
  /** The code directory: every file of it is deployed. */
  readonly directory: string;
  /** Minified size of the entry chunk alone. */
  readonly entryBytes: number;
  /** What a cold start reads and parses: the entry chunk and every chunk it imports statically, transitively. */
  readonly coldBytes: number;
  /** Output files in `coldBytes`, the entry included. */
  readonly coldFiles: number;
  /** Every JavaScript output file, source maps excluded. */
  readonly totalBytes: number;
  readonly totalFiles: number;
  /** `totalBytes` gzip-compressed (level 9, file by file), close to what the deployment zip holds. */
  readonly gzipBytes: number;
  /** Output bytes per package of what loads at cold start, largest first. */
  readonly packages: readonly PackageShare[];
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const OWN_CODE = '(own code)';

/** `node_modules/@scope/name/...` or `node_modules/name/...` (innermost node_modules wins) -> package name. */
export function packageOf(inputPath: string): string {
  const parts = inputPath.split('/');
  const last = parts.lastIndexOf('node_modules');
  if (last === -1) return OWN_CODE;
  const first = parts[last + 1] ?? '';
  return first.startsWith('@') ? `${first}/${parts[last + 2] ?? ''}` : first;
}

/**
 * The metafile's outputs a fresh import of `entry` evaluates before the handler can run: `entry` and, transitively,
 * what it imports with a static `import` statement. A dynamic `import()` is left out: its chunk loads when called.
 */
export function coldStartOutputs(metafile: Metafile, entry: string): string[] {
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path)) return;
    const output = metafile.outputs[path];
    if (output === undefined) {
      throw new Error(
        `esbuild's metafile has no output ${path}; outputs: ${Object.keys(metafile.outputs).join(', ')}`,
      );
    }
    loaded.add(path);
    for (const { path: imported, kind, external } of output.imports) {
      if (kind === 'import-statement' && external !== true) visit(imported);
    }
  };
  visit(entry);
  return [...loaded];
}

function packageShares(metafile: Metafile, outputs: readonly string[]): PackageShare[] {
  const bytesByPackage = new Map<string, number>();
  for (const key of outputs) {
    for (const [path, { bytesInOutput }] of Object.entries(metafile.outputs[key]?.inputs ?? {})) {
      const name = packageOf(path);
      bytesByPackage.set(name, (bytesByPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytesByPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}

async function measure(name: string, built: BuiltLambda): Promise<BundleMeasurement> {
  const { metafile, outfile, directory } = built;
  const javascript = Object.keys(metafile.outputs).filter((path) => path.endsWith('.mjs'));
  const bytesOf = (path: string) => metafile.outputs[path]?.bytes ?? 0;
  const sum = (paths: readonly string[]) => paths.reduce((total, path) => total + bytesOf(path), 0);
  const cold = coldStartOutputs(metafile, relative(REPO_ROOT, outfile));
  let gzipBytes = 0;
  for (const path of javascript)
    gzipBytes += gzipSync(await readFile(join(REPO_ROOT, path)), { level: 9 }).length;
  return {
    name,
    outfile,
    directory,
    entryBytes: bytesOf(relative(REPO_ROOT, outfile)),
    coldBytes: sum(cold),
    coldFiles: cold.length,
    totalBytes: sum(javascript),
    totalFiles: javascript.length,
    gzipBytes,
    packages: packageShares(metafile, cold),
  };
}

/** Bundles a Lambda exactly as deployed into `outDir` and measures it. */
export async function measureLambdaBundle(name: LambdaName, outDir: string): Promise<BundleMeasurement> {
  return measure(name, await buildLambda(name, outDir));
}

/**
 * Bundles the Config and CloudTrail clients alone (bench/sdk-clients-entry.ts) with the Lambdas' options: the
 * reference for what bundling without lazy loading gives.
 */
export function measureSdkClientsBundle(outDir: string): Promise<BundleMeasurement> {
  return measure('sdk-clients', buildEntry('bench/sdk-clients-entry.ts', join(outDir, 'sdk-clients')));
}

/** The folders a Lambda's own sources come from. */
const SOURCE_FOLDERS = ['rule', 'remediation', 'common'] as const;

/**
 * The handlers' sources transpiled file by file to plain ESM JavaScript, unbundled (as `tsc` would emit them),
 * under `outDir` inside the repository so their `@aws-sdk/*` imports resolve from its node_modules the way an
 * unbundled deployment would. Returns the path of `<folder>/handler.js` for each Lambda.
 */
export async function transpileSources(outDir: string): Promise<Record<LambdaName, string>> {
  const entryPoints: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    for (const file of await readdir(join(REPO_ROOT, folder), { recursive: true })) {
      if (file.endsWith('.ts')) entryPoints.push(join(REPO_ROOT, folder, file));
    }
  }
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints,
    outdir: outDir,
    outbase: REPO_ROOT,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_NODE_TARGET,
    logLevel: 'silent',
  });
  return { rule: join(outDir, 'rule', 'handler.js'), remediation: join(outDir, 'remediation', 'handler.js') };
}
