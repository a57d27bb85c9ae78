import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LOG_GROUP_PREFIX, ROLE_PATH, UPDATE_TRAIL_RETRY_BOUND_MS } from '../remediation/definition.js';
import { LAMBDA_ENTRY } from './bundling.js';
import { GuardFunction } from './guard-function.js';

/**
 * Time the remediation needs besides waiting for IAM propagation: the log group, role and policy calls and
 * the final GetTrail, each a single request.
 */
export const REMEDIATION_TIMEOUT_MARGIN = Duration.seconds(60);

/** Covers the UpdateTrail retry bound plus the other calls, so Lambda never cuts the retry loop short. */
export const REMEDIATION_TIMEOUT = Duration.millis(
  UPDATE_TRAIL_RETRY_BOUND_MS + REMEDIATION_TIMEOUT_MARGIN.toMilliseconds(),
);

/** ARN patterns the remediation may act on, in one account. */
export interface RemediationScope {
  /** Log groups under LOG_GROUP_PREFIX. */
  readonly logGroups: string;
  /** Roles under ROLE_PATH. */
  readonly roles: string;
  /** Trails whose configuration it may read and update. */
  readonly trails: string;
}

/** The ARN patterns for the account and region of `scope`'s stack. */
export function remediationScopeOf(scope: Construct): RemediationScope {
  const { partition, region, account } = Stack.of(scope);
  return {
    logGroups: `arn:${partition}:logs:${region}:${account}:log-group:${LOG_GROUP_PREFIX}*`,
    roles: `arn:${partition}:iam::${account}:role${ROLE_PATH}*`,
    trails: `arn:${partition}:cloudtrail:${region}:${account}:trail/*`,
  };
}

/**
 * The remediation Lambda's policy statements. Allows only what remediation/ calls; the explicit denies keep
 * the role inside its path and away from managed policies even if a broader policy is attached later.
 */
export function remediationStatements(scope: RemediationScope): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ManageOwnLogGroups',
      actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource', 'logs:AssociateKmsKey'],
      resources: [scope.logGroups],
    }),
    new iam.PolicyStatement({
      sid: 'ManageOwnRoles',
      actions: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:GetRole', 'iam:TagRole'],
      resources: [scope.roles],
    }),
    new iam.PolicyStatement({
      sid: 'PassOwnRolesToCloudTrail',
      actions: ['iam:PassRole'],
      resources: [scope.roles],
      conditions: { StringEquals: { 'iam:PassedToService': 'cloudtrail.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      sid: 'UpdateTrails',
      actions: ['cloudtrail:GetTrail', 'cloudtrail:UpdateTrail'],
      resources: [scope.trails],
    }),
    new iam.PolicyStatement({
      sid: 'DenyRolesOutsidePath',
      effect: iam.Effect.DENY,
      actions: ['iam:*'],
      notResources: [scope.roles],
    }),
    new iam.PolicyStatement({
      sid: 'DenyManagedPoliciesAndBoundaryChanges',
      effect: iam.Effect.DENY,
      actions: [
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:DeleteRolePermissionsBoundary',
        'iam:PutRolePermissionsBoundary',
        'iam:UpdateAssumeRolePolicy',
      ],
      resources: ['*'],
    }),
  ];
}

export interface RemediationFunctionProps {
  /** Retention of the function's own log group, in days. */
  readonly logRetentionDays: number;
}

/**
 * The remediation Lambda with its least-privilege policy: it may create and configure only the log groups
 * under LOG_GROUP_PREFIX and the roles under ROLE_PATH, pass only those roles and only to CloudTrail, and
 * update trails of its own account and region.
 */
export class RemediationFunction extends Construct {
  readonly function: lambda.IFunction;
  readonly guard: GuardFunction;
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: RemediationFunctionProps) {
    super(scope, id);
    this.guard = new GuardFunction(this, 'Lambda', {
      entry: LAMBDA_ENTRY.remediation,
      description:
        'Integrates a CloudTrail trail with CloudWatch Logs (invoked by the SSM Automation document).',
      logRetentionDays: props.logRetentionDays,
      timeout: REMEDIATION_TIMEOUT,
    });
    this.function = this.guard.function;

    this.policy = new iam.Policy(this, 'Permissions', {
      roles: [this.guard.role],
      statements: remediationStatements(remediationScopeOf(this)),
    });
    for (const [finding, reason] of [
      [
        'Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/cloudtrail-logs-guard/*',
        'x',
      ],
    ]) {
      Validations.of(this.policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: reason ?? '' });
    }
  }
}
