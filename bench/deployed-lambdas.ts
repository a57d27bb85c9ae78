import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LAMBDA_ENTRY_FILE } from '../infra/bundling.js';
import { createGuardApp } from '../infra/guard-app.js';
import type { GuardFunction } from '../infra/guard-function.js';
import type { LambdaName } from '../scripts/build-lambda.js';

/**
 * The Lambdas exactly as `cdk synth` builds them: the single-account app synthesized in this process with
 * bundling on (each function's local bundling runs esbuild, as in CI), each function's asset read from the cloud
 * assembly and its environment from the template. The cold-start stage runs these, so what it measures is
 * the deployed asset started with the deployed environment (NODE_OPTIONS included, were it set).
 */

export interface DeployedLambda {
  /** Absolute path of the asset's entry chunk, `index.mjs`. */
  readonly bundle: string;
  /** The asset directory: `index.mjs`, its chunks and their source maps. */
  readonly directory: string;
  /** The function's environment variables; values CloudFormation resolves on deploy are replaced (see below). */
  readonly environment: Readonly<Record<string, string>>;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Stands in for a variable CloudFormation resolves on deploy (the remediation's permissions boundary ARN, a
 * Ref): a well-formed value, so the handler starts as deployed.
 */
export const UNRESOLVED_VALUE_STAND_IN =
  'arn:aws:iam::123456789012:policy/cloudtrail-logs-guard/bench-stand-in';

function deployed(stack: Stack, guard: GuardFunction, outDir: string): DeployedLambda {
  const logicalId = stack.resolve((guard.function.node.defaultChild as CfnFunction).logicalId) as string;
  const template = JSON.parse(readFileSync(join(outDir, stack.templateFile), 'utf8')) as {
    Resources: Record<
      string,
      {
        Metadata?: Record<string, unknown>;
        Properties: { Environment?: { Variables?: Record<string, unknown> } };
      }
    >;
  };
  const fn = template.Resources[logicalId];
  const assetPath = fn?.Metadata?.['aws:asset:path'];
  if (fn === undefined || typeof assetPath !== 'string') {
    throw new Error(`the synthesized template has no function ${logicalId} with an aws:asset:path`);
  }
  const variables = fn.Properties.Environment?.Variables ?? {};
  return {
    bundle: join(outDir, assetPath, LAMBDA_ENTRY_FILE),
    directory: join(outDir, assetPath),
    environment: Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : UNRESOLVED_VALUE_STAND_IN,
      ]),
    ),
  };
}

/** Synthesizes the single-account app into `outDir` with cdk.json's context and returns both Lambdas. */
export function synthesizeDeployedLambdas(outDir: string): Record<LambdaName, DeployedLambda> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const { app, stack } = createGuardApp({
    outdir: outDir,
    // What the CDK CLI sets for `cdk synth`: asset metadata names each function's asset directory.
    context: { ...cdkJson.context, 'aws:cdk:enable-asset-metadata': true },
    nagChecks: false,
  });
  app.synth();
  return {
    rule: deployed(stack, stack.ruleFunction.guard, outDir),
    remediation: deployed(stack, stack.remediationFunction.guard, outDir),
  };
}

/** A source map with its `sources` resolved to absolute paths: they are written relative to the map's directory. */
function resolvedSourceMap(path: string): string {
  const map = JSON.parse(readFileSync(path, 'utf8')) as { sources?: string[] };
  return JSON.stringify({ ...map, sources: map.sources?.map((source) => resolve(dirname(path), source)) });
}

/**
 * How the code directory `built` differs from the deployed asset directory `asset`: files present in one only, and
 * files whose contents differ. Every file is compared byte for byte, except that a source map's `sources` are
 * compared as the files they resolve to, since esbuild writes them relative to where the map is.
 */
export function codeDifferences(asset: string, built: string): string[] {
  const files = (directory: string) =>
    readdirSync(directory, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
      .sort();
  const assetFiles = files(asset);
  const builtFiles = new Set(files(built));
  const differences = [
    ...assetFiles.filter((file) => !builtFiles.has(file)).map((file) => `${file}: only in the asset`),
    ...[...builtFiles]
      .filter((file) => !assetFiles.includes(file))
      .map((file) => `${file}: only in the build`),
  ];
  for (const file of assetFiles.filter((name) => builtFiles.has(name))) {
    const [a, b] = [join(asset, file), join(built, file)];
    const same = file.endsWith('.map')
      ? resolvedSourceMap(a) === resolvedSourceMap(b)
      : readFileSync(a).equals(readFileSync(b));
    if (!same) differences.push(`${file}: contents differ`);
  }
  return differences;
}
