import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LAMBDA_ENTRY } from './bundling.js';
import type { LogLevel, RetentionDays } from './context.js';
import type { DeploymentExemptions } from './exemptions.js';
import { GuardFunction } from './guard-function.js';

/**
 * The rule Lambda's statements for the calls rule/config-api.ts, rule/history-api.ts, rule/trails-api.ts and
 * rule/resources-api.ts make, except the clean-up read, which needs the rule's ARN (see {@link ruleCleanUpStatement}).
 */
export function ruleStatements(scope: Construct): iam.PolicyStatement[] {
  const { partition, region, account } = Stack.of(scope);
  return [
    new iam.PolicyStatement({
      sid: 'ReportEvaluations',
      actions: ['config:PutEvaluations', 'config:GetResourceConfigHistory', 'cloudtrail:DescribeTrails'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ReadDeliveryStatus',
      actions: ['cloudtrail:GetTrailStatus'],
      // The rule asks only about trails this account owns with their home region here.
      resources: [`arn:${partition}:cloudtrail:${region}:${account}:trail/*`],
    }),
    // A delivery counts only if it reached the log group and role that exist now: their creation times
    // (delivery check only). DescribeLogGroups supports no resource-level permissions.
    new iam.PolicyStatement({
      sid: 'ReadLogGroupCreation',
      actions: ['logs:DescribeLogGroups'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ReadRoleCreation',
      actions: ['iam:GetRole'],
      // Any role of this account a trail names; GetRole reads its metadata, never its permissions' use.
      resources: [`arn:${partition}:iam::${account}:role/*`],
    }),
  ];
}

/** Reading the rule's own earlier results, to clean up those of trails that no longer exist. */
export function ruleCleanUpStatement(ruleArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadOwnResults',
    actions: ['config:GetComplianceDetailsByConfigRule'],
    resources: [ruleArn],
  });
}

export interface RuleFunctionProps {
  /** Retention of the function's own log group, in days. */
  readonly logRetentionDays: RetentionDays;
  /** The function's application log level. */
  readonly logLevel: LogLevel;
  /** @default none (single-account mode); the organization hub sets hubRuleConcurrency */
  readonly reservedConcurrentExecutions?: number;
  /** The deployment's exemptions, shipped in the function's code. @default none */
  readonly exemptions?: DeploymentExemptions;
}

/** The rule Lambda and its least-privilege policy. */
export class RuleFunction extends Construct {
  readonly function: lambda.IFunction;
  readonly guard: GuardFunction;
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: RuleFunctionProps) {
    super(scope, id);
    this.guard = new GuardFunction(this, 'Lambda', {
      entry: LAMBDA_ENTRY.rule,
      description: 'AWS Config custom rule: is each CloudTrail trail integrated with CloudWatch Logs?',
      logRetentionDays: props.logRetentionDays,
      logLevel: props.logLevel,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      ...(props.exemptions === undefined ? {} : { exemptions: props.exemptions }),
    });
    this.function = this.guard.function;
    this.policy = new iam.Policy(this, 'Permissions', {
      roles: [this.guard.role],
      statements: ruleStatements(this),
    });
    // Config invokes the function as soon as the rule exists: its permissions must exist first.
    this.guard.function.node.addDependency(this.policy);
    Validations.of(this.policy).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'config:PutEvaluations, config:GetResourceConfigHistory, cloudtrail:DescribeTrails and ' +
          'logs:DescribeLogGroups support no resource-level permissions (Service Authorization Reference): ' +
          'Resource must be *.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudtrail:<AWS::Region>:<AWS::AccountId>:trail/*]',
        reason:
          'The rule evaluates every trail of this account and region, including trails created after the ' +
          'deployment, so the trail name cannot be fixed.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]',
        reason:
          'iam:GetRole (read-only) of the role a trail names, for its creation time: any role of the account ' +
          'can be named, including roles created after the deployment.',
      },
    );
  }

  /**
   * Lets the function read the rule's earlier results. A policy of its own, because it needs the rule's ARN
   * (which holds an ID generated when the rule is created) while the rule itself depends on the function.
   * It is created right after the rule: a periodic run in those first seconds may fail its clean-up read,
   * which the next periodic run repeats; change-triggered evaluations do not need it.
   */
  allowCleanUpOf(ruleArn: string): iam.Policy {
    return new iam.Policy(this, 'CleanUpPermissions', {
      roles: [this.guard.role],
      statements: [ruleCleanUpStatement(ruleArn)],
    });
  }
}
