import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAMBDA_ENVIRONMENT } from '../../infra/bundling.js';
import { buildLambda, type LambdaName } from '../../scripts/build-lambda.js';
import { principalCredentials, recordingEndpoint } from './call-recorder.js';
import { type Invocation, invokeBundle, invokeBundleOk, type LambdaContext } from './lambda-process.js';
import {
  accountOfFunctionArn,
  type DeploymentName,
  deployedEnvironment,
  EMULATOR_ACCOUNT,
  type LambdaPrincipal,
} from './principals.js';

/**
 * A handler bundled exactly as deployed, and invoked in a Lambda-like child process against the emulator.
 * The child's environment is what the function gets in `deployment` (its stack's variables, region and
 * credentials) plus the endpoint override: the recording proxy (call-recorder.ts), or a fault proxy.
 */
export interface BundledHandler {
  /** The invocation's outcome, success or handler error; `context` as the Lambda runtime would pass it. */
  invoke(event: unknown, region?: string, context?: LambdaContext): Promise<Invocation>;
  /** The handler's JSON result; a handler error fails the caller with the error, stack and output. */
  run(event: unknown, region?: string, context?: LambdaContext): Promise<unknown>;
  dispose(): Promise<void>;
}

/**
 * `deployment`: the stack whose function this stands for (principals.ts); its environment is the one that stack
 * sets, in the account of the invocation's Lambda context (moto's account without one). `environment`: variables
 * added or replaced on top, e.g. AWS_ENDPOINT_URL for a fault proxy in front of the emulator.
 */
export async function bundleHandler(
  name: LambdaName,
  deployment: DeploymentName = 'single-account',
  environment: Readonly<Record<string, string>> = {},
): Promise<BundledHandler> {
  const outDir = await mkdtemp(join(tmpdir(), `cloudtrail-logs-guard-${name}-`));
  const { outfile } = await buildLambda(name, outDir);
  const { AWS_ENDPOINT_URL: endpoint, ...configured } = environment;
  const lambdaEnvironment = (region: string, context: LambdaContext | undefined) => {
    const account =
      context === undefined ? EMULATOR_ACCOUNT : accountOfFunctionArn(context.invokedFunctionArn);
    const principal: LambdaPrincipal = {
      type: 'lambda',
      deployment,
      function: name,
      account,
      region,
      environment: { ...deployedEnvironment(deployment, name, account, region), ...configured },
    };
    return {
      ...LAMBDA_ENVIRONMENT,
      ...principal.environment,
      AWS_ENDPOINT_URL: endpoint ?? recordingEndpoint(),
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      ...principalCredentials(principal),
    };
  };
  return {
    invoke: (event, region = 'us-east-1', context) =>
      invokeBundle(outfile, event, lambdaEnvironment(region, context), context),
    run: (event, region = 'us-east-1', context) =>
      invokeBundleOk(outfile, event, lambdaEnvironment(region, context), context),
    dispose: () => rm(outDir, { recursive: true, force: true }),
  };
}
