import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_ENVIRONMENT, LAMBDA_HANDLER, REPOSITORY_ROOT } from './bundling.js';
import type { LogLevel, RetentionDays } from './context.js';
import type { DeploymentExemptions } from './exemptions.js';
import { LocalLambdaBundling } from './local-bundling.js';

/**
 * CDK's bundling options require an image; local bundling always succeeds or throws, so it is never pulled or run
 * (no Docker engine is needed to synth).
 */
const UNUSED_BUNDLING_IMAGE = DockerImage.fromRegistry('local-bundling-only');

/**
 * Pinned rather than NODEJS_LATEST so a CDK upgrade cannot move the runtime away from the esbuild target in
 * bundling.ts (node22).
 */
export const GUARD_RUNTIME = lambda.Runtime.NODEJS_22_X;

export interface GuardFunctionProps {
  /** Handler entry relative to the repository root (see LAMBDA_ENTRY in bundling.ts). */
  readonly entry: string;
  readonly description: string;
  /** Retention of the function's own log group, in days (one of CloudWatch Logs' accepted values). */
  readonly logRetentionDays: RetentionDays;
  /** Lambda's application log level: console calls below it are dropped (see common/log.ts). */
  readonly logLevel: LogLevel;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default no variables besides LAMBDA_ENVIRONMENT */
  readonly environment?: Readonly<Record<string, string>>;
  /** Concurrent executions reserved for (and capping) the function. @default none: the account's unreserved pool */
  readonly reservedConcurrentExecutions?: number;
  /**
   * The deployment's exemptions, shipped beside the bundle (common/deployed-exemptions.ts reads them there).
   * @default none: no file, no trail exempt
   */
  readonly exemptions?: DeploymentExemptions;
}

/**
 * A Lambda function built the one way this project builds Lambdas: Node.js 22 on ARM64, bundled locally by
 * esbuild from LAMBDA_BUNDLE_OPTIONS with code splitting (`index.mjs` and its chunks in one asset), with its own
 * role (no managed policies) and an explicit log group with retention. Callers grant the role exactly what their
 * handler calls.
 *
 * A `lambda.Function` with a locally bundled asset rather than a NodejsFunction: NodejsFunction always bundles to
 * one `--outfile`, which esbuild refuses with code splitting (docs/performance.md, "Cold-start levers").
 */
export class GuardFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GuardFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as logs.RetentionDays,
      // The logs record what the remediation changed: keep them when the stack is deleted.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An own role instead of the default one, which would carry the AWSLambdaBasicExecutionRole managed
    // policy (CreateLogGroup and PutLogEvents on every log group in the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The log group's Arn attribute ends in `:*`, which covers its log streams and nothing else.
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromAsset(REPOSITORY_ROOT, {
        // The hash of the bundled files (exemptions.json included), not of the whole repository.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: UNUSED_BUNDLING_IMAGE,
          local: new LocalLambdaBundling(props.entry, props.exemptions?.text),
        },
      }),
      handler: LAMBDA_HANDLER,
      description: props.description,
      runtime: GUARD_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 256,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      environment: { ...props.environment, ...LAMBDA_ENVIRONMENT },
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Runtime pinned to Node.js 22 to match the esbuild target (node22) in infra/bundling.ts, so what is ' +
        'bundled is what runs; move both together when upgrading.',
    });
  }
}
