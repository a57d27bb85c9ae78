import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
 * The child's environment is what the function gets in its deployment (its stack's variables, region and
 * credentials) plus the endpoint override: the recording proxy (call-recorder.ts), or a fault proxy.
 */
export interface BundledHandler {
  /**
   * The invocation's outcome, success or handler error; `context` as the Lambda runtime would pass it, `now` the
   * handler's clock (default: the real one).
   */
  invoke(event: unknown, region?: string, context?: LambdaContext, now?: Date): Promise<Invocation>;
  /** The handler's JSON result; a handler error fails the caller with the error, stack and output. */
  run(event: unknown, region?: string, context?: LambdaContext): Promise<unknown>;
  /** The code directory (LAMBDA_TASK_ROOT), where a deployment puts exemptions.json beside the bundle. */
  readonly codeDirectory: string;
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
  return handlerAt(outfile, name, deployment, environment, () =>
    rm(outDir, { recursive: true, force: true }),
  );
}

/**
 * The `name` handler bundled at `outfile` (a bundle of its own, or a CDK asset's `index.mjs`), run as
 * {@link bundleHandler} describes; `dispose` removes what made it.
 */
export function handlerAt(
  outfile: string,
  name: LambdaName,
  deployment: DeploymentName,
  environment: Readonly<Record<string, string>>,
  dispose: () => Promise<void>,
): BundledHandler {
  const codeDirectory = dirname(outfile);
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
      // As the Lambda runtime sets it: the directory of the function's code.
      LAMBDA_TASK_ROOT: codeDirectory,
      ...principalCredentials(principal),
    };
  };
  return {
    invoke: (event, region = 'us-east-1', context, now) =>
      invokeBundle(outfile, event, lambdaEnvironment(region, context), context, now),
    run: (event, region = 'us-east-1', context) =>
      invokeBundleOk(outfile, event, lambdaEnvironment(region, context), context),
    codeDirectory,
    dispose,
  };
}
