import { createHash } from 'node:crypto';
import {
  MONITORING_TOPIC_ENV,
  PERMISSIONS_BOUNDARY_ENV,
  PROOF_DOCUMENT_ENV,
} from '../../remediation/definition.js';

/**
 * Who sends each request of the e2e tier. Every bundled Lambda invocation and every CLI run gets static
 * credentials of its own, whose access key stands for one principal: a Lambda function as one deployment
 * configures it (its stack, account, region and environment), or the operator running a CLI command. The
 * recording declares what each key stands for (call-recorder.ts); the least-privilege check maps the principal
 * to the role of the synthesized template that would run it. Credentials the Lambdas obtain themselves
 * (sts:AssumeRole into a spoke role) are recognised from the AssumeRole answer.
 *
 * moto acts in its default account for any key it did not issue, so every principal here shares that account's
 * data; the account a principal stands for (a hub account, say) is what the check uses, not moto's.
 */

/** moto's default account: where every request with a key moto did not issue acts. */
export const EMULATOR_ACCOUNT = '123456789012';

/** A deployment the tier runs the Lambdas as: which CDK app, with which context (test/privilege synthesizes each). */
export type DeploymentName = 'single-account' | 'single-account-monitoring' | 'organization';

export type LambdaFunction = 'rule' | 'remediation';

export interface LambdaPrincipal {
  readonly type: 'lambda';
  readonly deployment: DeploymentName;
  readonly function: LambdaFunction;
  /** The account the function is deployed in (its Lambda context's, or moto's when invoked without one). */
  readonly account: string;
  readonly region: string;
  /** The function's configured environment, as its stack sets it (AWS_* runtime variables aside). */
  readonly environment: Readonly<Record<string, string>>;
}

/** An operator running the command line with the policy docs/cli.md documents. */
export interface OperatorPrincipal {
  readonly type: 'operator';
  /** The command run (`scan`, `plan`, `fix`, `report`). */
  readonly command: string;
}

export type DeclaredPrincipal = LambdaPrincipal | OperatorPrincipal;

/**
 * Stand-ins for the physical names CloudFormation generates (a managed policy or topic without a fixed name).
 * The tier configures the Lambdas with them and the check resolves the templates' references to the same
 * values, so a condition on, say, the boundary ARN is evaluated against what the Lambda really sent.
 */
export const STAND_IN = {
  deliveryBoundaryArn: (account: string) =>
    `arn:aws:iam::${account}:policy/cloudtrail-logs-guard/delivery-boundary`,
  monitoringTopicArn: (region: string, account: string) =>
    `arn:aws:sns:${region}:${account}:cloudtrail-logs-guard-alarms`,
  /** The spoke's Automation document: a fixed name in the organization (infra/organization/names.ts). */
  remediationDocumentName: 'cloudtrail-logs-guard-remediation',
  /** The organization of the organization deployment (the CI synth's context). */
  organizationId: 'o-exampleorg1',
} as const;

/** The environment the deployment's stack gives `fn` in `account` and `region` (what infra/ sets). */
export function deployedEnvironment(
  deployment: DeploymentName,
  fn: LambdaFunction,
  account: string,
  region: string,
): Record<string, string> {
  if (fn === 'rule') return {};
  const boundary = { [PERMISSIONS_BOUNDARY_ENV]: STAND_IN.deliveryBoundaryArn(account) };
  switch (deployment) {
    case 'single-account':
      return boundary;
    case 'single-account-monitoring':
      return { ...boundary, [MONITORING_TOPIC_ENV]: STAND_IN.monitoringTopicArn(region, account) };
    case 'organization':
      return { ...boundary, [PROOF_DOCUMENT_ENV]: STAND_IN.remediationDocumentName };
  }
}

/**
 * The access key that stands for `principal`: 20 upper-case characters, like an AWS key, from a digest of the
 * principal, so the same principal always gets the same key.
 */
export function accessKeyOf(principal: DeclaredPrincipal): string {
  const digest = createHash('sha256').update(JSON.stringify(principal)).digest('hex').toUpperCase();
  return `E2EP${digest.slice(0, 16)}`;
}

/** The account of a Lambda function ARN (`arn:aws:lambda:<region>:<account>:function:<name>`). */
export function accountOfFunctionArn(functionArn: string): string {
  const account = functionArn.split(':')[4];
  if (account === undefined || !/^\d{12}$/.test(account)) {
    throw new Error(`${functionArn} is not a Lambda function ARN with an account id.`);
  }
  return account;
}
