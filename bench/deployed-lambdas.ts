import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { createGuardApp } from '../infra/guard-app.js';
import type { GuardFunction } from '../infra/guard-function.js';
import type { LambdaName } from '../scripts/build-lambda.js';

/**
 * The Lambdas exactly as `cdk synth` builds them: the single-account app synthesized in this process with
 * bundling on (NodejsFunction runs the local esbuild, as in CI), each function's asset read from the cloud
 * assembly and its environment from the template. The cold-start stage runs these, so what it measures is
 * the deployed asset started with the deployed environment (NODE_OPTIONS included, were it set).
 */

export interface DeployedLambda {
  /** Absolute path of the asset's `index.mjs`. */
  readonly bundle: string;
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
    bundle: join(outDir, assetPath, 'index.mjs'),
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
