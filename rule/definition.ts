/**
 * Identifiers of the Config rule shared by the rule Lambda and the CDK stacks: defined once here so the
 * deployed rule and the code that reads its parameters can never disagree.
 */

/** Default name of the AWS Config custom rule (the CDK name prefix is prepended when set). */
export const RULE_NAME = 'cloudtrail-cloudwatch-logs-integrated';

/** The only resource type the rule evaluates. */
export const TRAIL_RESOURCE_TYPE = 'AWS::CloudTrail::Trail';

/**
 * The resource type of the one account-level evaluation each sweep reports for the account and region it swept
 * (rule/account-result.ts), under the account id: the form AWS's periodic example rule uses
 * (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_nodejs-sample.html#periodic-example-rule).
 */
export const ACCOUNT_RESOURCE_TYPE = 'AWS::::Account';

/**
 * Rule parameter keys. `expectedDeliveryWindowAge` has the name and meaning (hours) of the AWS managed rule
 * cloud-trail-cloud-watch-logs-enabled; `ExecutionRoleName` is the Config RDK's name for the role a central
 * rule Lambda assumes in the evaluated account.
 */
export const RULE_PARAMETER = {
  expectedDeliveryWindowAge: 'expectedDeliveryWindowAge',
  executionRoleName: 'ExecutionRoleName',
} as const;

export type RuleParameterKey = (typeof RULE_PARAMETER)[keyof typeof RULE_PARAMETER];
