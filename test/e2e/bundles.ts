import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { LAMBDA_ENVIRONMENT } from '../../infra/bundling.js';
import { buildLambda, type LambdaName } from '../../scripts/build-lambda.js';
import { type Invocation, invokeBundle, invokeBundleOk, type LambdaContext } from './lambda-process.js';

/**
 * A handler bundled exactly as deployed, and invoked in a Lambda-like child process against the emulator.
 * The child's environment is what a Lambda function gets (region, credentials) plus the endpoint override.
 */
export interface BundledHandler {
  /**
   * The invocation's outcome, success or handler error; `context` as the Lambda runtime would pass it, `now` the
   * handler's clock (default: the real one).
   */
  invoke(event: unknown, region?: string, context?: LambdaContext, now?: Date): Promise<Invocation>;
  /** The handler's JSON result; a handler error fails the caller with the error, stack and output. */
  run(event: unknown, region?: string): Promise<unknown>;
  /** The code directory (LAMBDA_TASK_ROOT), where a deployment puts exemptions.json beside the bundle. */
  readonly codeDirectory: string;
  dispose(): Promise<void>;
}

/**
 * `environment`: the function's own configured variables (e.g. PERMISSIONS_BOUNDARY_ARN), added to the rest;
 * an AWS_ENDPOINT_URL there (a fault proxy in front of the emulator) replaces the emulator's.
 */
export async function bundleHandler(
  name: LambdaName,
  environment: Readonly<Record<string, string>> = {},
): Promise<BundledHandler> {
  const outDir = await mkdtemp(join(tmpdir(), `cloudtrail-logs-guard-${name}-`));
  const { outfile } = await buildLambda(name, outDir);
  return handlerAt(outfile, environment, () => rm(outDir, { recursive: true, force: true }));
}

/**
 * The handler bundled at `outfile` (a bundle of its own, or a CDK asset's `index.mjs`), run as {@link bundleHandler}
 * describes; `dispose` removes what made it.
 */
export function handlerAt(
  outfile: string,
  environment: Readonly<Record<string, string>>,
  dispose: () => Promise<void>,
): BundledHandler {
  const codeDirectory = dirname(outfile);
  const lambdaEnvironment = (region: string) => ({
    ...LAMBDA_ENVIRONMENT,
    AWS_ENDPOINT_URL: inject('motoEndpoint'),
    ...environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    // As the Lambda runtime sets it: the directory of the function's code.
    LAMBDA_TASK_ROOT: codeDirectory,
  });
  return {
    invoke: (event, region = 'us-east-1', context, now) =>
      invokeBundle(outfile, event, lambdaEnvironment(region), context, now),
    run: (event, region = 'us-east-1') => invokeBundleOk(outfile, event, lambdaEnvironment(region)),
    codeDirectory,
    dispose,
  };
}
