import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ILocalBundling } from 'aws-cdk-lib';
import { buildSync, formatMessagesSync, type Message, type Metafile } from 'esbuild';
import { DEPLOYED_EXEMPTIONS_FILE } from '../common/exemptions.js';
import { lambdaBuildOptions, REPOSITORY_ROOT } from './bundling.js';

/**
 * Runs esbuild with the one bundling definition (infra/bundling.ts) into a function's code directory. The CDK
 * construct bundles through it at synth (LocalLambdaBundling), the end-to-end tier and the benchmark through
 * scripts/build-lambda.ts, so the three build the same files.
 */

/** esbuild warned about a bundle: the synth fails rather than deploy code esbuild doubted. */
export class LambdaBundleWarningError extends Error {
  constructor(entry: string, warnings: readonly string[]) {
    super(
      `esbuild warned while bundling ${entry}; fix the code or dependency it names (a warning fails the ` +
        `synth, as an error does):\n${warnings.join('\n')}`,
    );
    this.name = 'LambdaBundleWarningError';
  }
}

/**
 * Where esbuild is told it writes (nothing is written there: `write: false`). esbuild names each chunk by a hash
 * that covers its source map, whose `sources` are relative to the output directory, so a build for another
 * directory would name the chunks differently. Building for this one directory, at a fixed place in the
 * repository, gives the same code wherever it is then written: CDK's bundling directory, the end-to-end tier's or
 * the benchmark's temporary one, another clone.
 */
const CANONICAL_OUTDIR = join(REPOSITORY_ROOT, '.lambda-bundle');

/**
 * Bundles `entry` (relative to the repository root) into `outdir` and, when the deployment has an exemptions file,
 * writes its exact text beside `index.mjs` (common/deployed-exemptions.ts reads it there), so the code and its
 * hash change with it. esbuild's errors are thrown as esbuild reports them; a warning throws
 * LambdaBundleWarningError, and nothing is written. Returns esbuild's metafile (what each output file holds and
 * imports), its output paths those written, relative to the repository root like its inputs.
 */
export function bundleLambda(entry: string, outdir: string, exemptions?: string): Metafile {
  const result = buildSync({ ...lambdaBuildOptions(entry, CANONICAL_OUTDIR), metafile: true, write: false });
  refuseWarnings(entry, result.warnings);
  for (const file of result.outputFiles) {
    const path = join(outdir, relative(CANONICAL_OUTDIR, file.path));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      path.endsWith('.map') ? relocatedSourceMap(file.text, file.path, path) : file.contents,
    );
  }
  if (exemptions !== undefined) writeFileSync(join(outdir, DEPLOYED_EXEMPTIONS_FILE), exemptions);
  return relocatedMetafile(result.metafile, outdir);
}

/** The source map built for `from`, its `sources` made relative to `to`, where it is written. */
function relocatedSourceMap(text: string, from: string, to: string): string {
  const map = JSON.parse(text) as { sources?: string[] };
  return JSON.stringify({
    ...map,
    sources: map.sources?.map((source) => relative(dirname(to), resolve(dirname(from), source))),
  });
}

/** The metafile with its output paths (and the imports between outputs) moved from CANONICAL_OUTDIR to `outdir`. */
function relocatedMetafile(metafile: Metafile, outdir: string): Metafile {
  const canonical = relative(REPOSITORY_ROOT, CANONICAL_OUTDIR);
  const relocate = (path: string) =>
    path.startsWith(`${canonical}/`)
      ? relative(REPOSITORY_ROOT, join(outdir, relative(canonical, path)))
      : path;
  return {
    inputs: metafile.inputs,
    outputs: Object.fromEntries(
      Object.entries(metafile.outputs).map(([path, output]) => [
        relocate(path),
        {
          ...output,
          imports: output.imports.map((imported) => ({ ...imported, path: relocate(imported.path) })),
        },
      ]),
    ),
  };
}

function refuseWarnings(entry: string, warnings: readonly Message[]): void {
  if (warnings.length === 0) return;
  throw new LambdaBundleWarningError(
    entry,
    formatMessagesSync([...warnings], { kind: 'warning', color: false }),
  );
}

/**
 * CDK's local bundling of a GuardFunction's code: esbuild in this process, never Docker. CDK reuses a bundle
 * whose bundling options serialize the same within one output directory, so the fields below are everything the
 * output depends on besides the sources: the entry and the exemptions file's hash.
 */
export class LocalLambdaBundling implements ILocalBundling {
  readonly entry: string;
  readonly exemptionsSha256: string | undefined;
  readonly #exemptions: string | undefined;

  constructor(entry: string, exemptions: string | undefined) {
    this.entry = entry;
    this.#exemptions = exemptions;
    this.exemptionsSha256 =
      exemptions === undefined ? undefined : createHash('sha256').update(exemptions).digest('hex');
  }

  tryBundle(outputDir: string): boolean {
    bundleLambda(this.entry, outputDir, this.#exemptions);
    return true;
  }
}
