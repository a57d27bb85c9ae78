import { Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RULE_NAME, RULE_PARAMETER, TRAIL_RESOURCE_TYPE } from '../rule/definition.js';
import { DEFAULT_RULE_SCHEDULE, DELIVERY_CHECK_RULE_SCHEDULE, type RuleSchedule } from './context.js';

/** TrailLogsRule props that contradict each other; the message names the props and what to change. */
export class InvalidRulePropsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRulePropsError';
  }
}

export interface TrailLogsRuleProps {
  /** The rule Lambda (in this stack, or imported by ARN from a central account). */
  readonly ruleFunction: lambda.IFunction;
  /** @default RULE_NAME from rule/definition.ts */
  readonly ruleName?: string;
  /**
   * Periodic trigger frequency (the change trigger is always on). With `expectedDeliveryWindowAge` set it must be
   * 'One_Hour': the hourly sweep is what judges a trail again once its grace for a first delivery is over.
   * @default 'One_Hour' with `expectedDeliveryWindowAge`, otherwise 'TwentyFour_Hours'
   */
  readonly maximumExecutionFrequency?: RuleSchedule;
  /** Rule parameter `expectedDeliveryWindowAge`, in hours. @default - parameter not set: delivery not checked */
  readonly expectedDeliveryWindowAge?: number;
  /** Rule parameter `ExecutionRoleName` for a central rule Lambda. @default - parameter not set */
  readonly executionRoleName?: string;
  /**
   * Add the resource-based permission that lets AWS Config in this account invoke the function. Turn off
   * when the function lives in another account, whose stack grants the permission.
   * @default true
   */
  readonly grantConfigInvoke?: boolean;
}

/**
 * The AWS Config custom rule for `AWS::CloudTrail::Trail`, triggered both by configuration changes and on a
 * schedule. A CfnConfigRule rather than the `CustomRule` L2, which would attach the broad
 * AWSConfigRulesExecutionRole managed policy to the function's role.
 */
export class TrailLogsRule extends Construct {
  readonly rule: config.CfnConfigRule;
  readonly ruleName: string;
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: TrailLogsRuleProps) {
    super(scope, id);
    const deliveryChecked = props.expectedDeliveryWindowAge !== undefined;
    const frequency =
      props.maximumExecutionFrequency ??
      (deliveryChecked ? DELIVERY_CHECK_RULE_SCHEDULE : DEFAULT_RULE_SCHEDULE);
    if (deliveryChecked && frequency !== DELIVERY_CHECK_RULE_SCHEDULE) {
      throw new InvalidRulePropsError(
        `TrailLogsRule ${id}: maximumExecutionFrequency must be ${DELIVERY_CHECK_RULE_SCHEDULE} when ` +
          `expectedDeliveryWindowAge is set (got ${frequency}): a COMPLIANT verdict given in the grace for a first ` +
          'delivery must be judged again within the hour. Unset expectedDeliveryWindowAge for a slower schedule.',
      );
    }
    const parameters: Record<string, string> = {};
    if (props.expectedDeliveryWindowAge !== undefined) {
      parameters[RULE_PARAMETER.expectedDeliveryWindowAge] = String(props.expectedDeliveryWindowAge);
    }
    if (props.executionRoleName !== undefined) {
      parameters[RULE_PARAMETER.executionRoleName] = props.executionRoleName;
    }

    this.rule = new config.CfnConfigRule(this, 'Rule', {
      configRuleName: props.ruleName ?? RULE_NAME,
      description:
        'Checks that every CloudTrail trail sends its events to CloudWatch Logs (CIS CloudTrail.5): a log ' +
        'group and a role are set and, when expectedDeliveryWindowAge is set, a delivery happened within it.',
      scope: { complianceResourceTypes: [TRAIL_RESOURCE_TYPE] },
      maximumExecutionFrequency: frequency,
      inputParameters: Object.keys(parameters).length > 0 ? parameters : undefined,
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: props.ruleFunction.functionArn,
        sourceDetails: [
          { eventSource: 'aws.config', messageType: 'ConfigurationItemChangeNotification' },
          { eventSource: 'aws.config', messageType: 'OversizedConfigurationItemChangeNotification' },
          {
            eventSource: 'aws.config',
            messageType: 'ScheduledNotification',
            maximumExecutionFrequency: frequency,
          },
        ],
      },
    });

    if (props.grantConfigInvoke ?? true) {
      // Config checks the permission when the rule is created, so the rule waits for it. SourceArn cannot
      // be set: the rule's ARN holds an ID generated at creation, after the permission must exist.
      props.ruleFunction.addPermission('AllowConfigInvoke', {
        principal: new iam.ServicePrincipal('config.amazonaws.com'),
        sourceAccount: Stack.of(this).account,
      });
      const permission = props.ruleFunction.permissionsNode.tryFindChild('AllowConfigInvoke');
      if (permission !== undefined) this.rule.node.addDependency(permission);
    }

    this.ruleName = this.rule.ref;
    this.ruleArn = this.rule.attrArn;
  }
}
