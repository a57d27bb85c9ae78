import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ILocalBundling } from 'aws-cdk-lib';
import { buildSync, formatMessagesSync, type Message, type Metafile } from 'esbuild';
import { DEPLOYED_EXEMPTIONS_FILE } from '../common/exemptions.js';
import { lambdaBuildOptions } from './bundling.js';

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
 * Bundles `entry` (relative to the repository root) into `outdir` and, when the deployment has an exemptions file,
 * writes its exact text beside `index.mjs` (common/deployed-exemptions.ts reads it there), so the code and its
 * hash change with it. esbuild's errors are thrown as esbuild reports them; a warning throws
 * LambdaBundleWarningError. Returns esbuild's metafile (what each output file holds and imports).
 */
export function bundleLambda(entry: string, outdir: string, exemptions?: string): Metafile {
  const result = buildSync({ ...lambdaBuildOptions(entry, outdir), metafile: true });
  refuseWarnings(entry, result.warnings);
  if (exemptions !== undefined) writeFileSync(join(outdir, DEPLOYED_EXEMPTIONS_FILE), exemptions);
  return result.metafile;
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
