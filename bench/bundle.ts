import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { LAMBDA_NODE_TARGET } from '../infra/bundling.js';
import { esbuildOptionsFor, type LambdaName } from '../scripts/build-lambda.js';

/**
 * Stage 1: each Lambda bundled with the one option set the CDK stacks use (via scripts/build-lambda.ts), with an
 * esbuild metafile to attribute the output bytes to packages.
 */

export interface PackageShare {
  /** npm package name, or `(own code)` for this repository's sources. */
  readonly name: string;
  readonly bytes: number;
}

export interface BundleMeasurement {
  readonly name: string;
  /** Absolute path of the ESM bundle (its source map sits next to it). */
  readonly outfile: string;
  /** Minified bundle size, source map excluded. */
  readonly bytes: number;
  /** The same bytes gzip-compressed (level 9), close to what the deployment zip holds. */
  readonly gzipBytes: number;
  /** Output bytes per package, largest first. */
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

function packageShares(metafile: Metafile, outfile: string): PackageShare[] {
  const key = relative(REPO_ROOT, outfile);
  const output = metafile.outputs[key];
  if (output === undefined) {
    throw new Error(
      `esbuild's metafile has no output ${key}; outputs: ${Object.keys(metafile.outputs).join(', ')}`,
    );
  }
  const bytesByPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(path);
    bytesByPackage.set(name, (bytesByPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytesByPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}

async function measure(
  name: string,
  options: ReturnType<typeof esbuildOptionsFor>,
): Promise<BundleMeasurement> {
  const result = await build({ ...options, metafile: true });
  const code = await readFile(options.outfile);
  return {
    name,
    outfile: options.outfile,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    packages: packageShares(result.metafile, options.outfile),
  };
}

/** Bundles a Lambda exactly as deployed into `outDir` and measures it. */
export function measureLambdaBundle(name: LambdaName, outDir: string): Promise<BundleMeasurement> {
  return measure(name, esbuildOptionsFor(name, outDir));
}

/**
 * Bundles the Config and CloudTrail clients alone (bench/sdk-clients-entry.ts) with the rule Lambda's options:
 * the reference for what bundling without lazy loading gives.
 */
export function measureSdkClientsBundle(outDir: string): Promise<BundleMeasurement> {
  const options = esbuildOptionsFor('rule', outDir);
  return measure('sdk-clients', {
    ...options,
    entryPoints: [join(REPO_ROOT, 'bench', 'sdk-clients-entry.ts')],
    outfile: join(outDir, 'sdk-clients', 'index.mjs'),
  });
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
