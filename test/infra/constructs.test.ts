import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { RuleRemediation } from '../../infra/rule-remediation.js';
import { InvalidRulePropsError, TrailLogsRule, type TrailLogsRuleProps } from '../../infra/trail-rule.js';
import { onlyResource, SYNTH_TIMEOUT_MS, synthGuard } from './support.js';

function ruleTemplate(props: Omit<TrailLogsRuleProps, 'ruleFunction'>): Template {
  const stack = new Stack();
  const ruleFunction = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {};'),
  });
  new TrailLogsRule(stack, 'Rule', { ruleFunction, ...props });
  return Template.fromStack(stack);
}

describe('TrailLogsRule', () => {
  it('defaults to the shared rule name, a 24-hour schedule, no parameters and the Config permission', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const template = ruleTemplate({});
    const [, rule] = onlyResource(template, 'AWS::Config::ConfigRule');
    expect(rule.Properties).toMatchObject({
      ConfigRuleName: 'cloudtrail-cloudwatch-logs-integrated',
      MaximumExecutionFrequency: 'TwentyFour_Hours',
    });
    expect(rule.Properties).not.toHaveProperty('InputParameters');
    template.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  it('runs hourly by default when expectedDeliveryWindowAge is set', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const [, rule] = onlyResource(ruleTemplate({ expectedDeliveryWindowAge: 24 }), 'AWS::Config::ConfigRule');
    expect(rule.Properties.MaximumExecutionFrequency).toBe('One_Hour');
    expect((rule.Properties.Source as { SourceDetails: unknown[] }).SourceDetails).toContainEqual({
      EventSource: 'aws.config',
      MessageType: 'ScheduledNotification',
      MaximumExecutionFrequency: 'One_Hour',
    });
  });

  it.each(['Three_Hours', 'TwentyFour_Hours'] as const)(
    'refuses a %s schedule with expectedDeliveryWindowAge (a grace verdict would outlive its grace)',
    (schedule) => {
      expect(() =>
        ruleTemplate({ expectedDeliveryWindowAge: 24, maximumExecutionFrequency: schedule }),
      ).toThrow(
        new InvalidRulePropsError(
          `TrailLogsRule Rule: maximumExecutionFrequency must be One_Hour when expectedDeliveryWindowAge is set (got ${schedule}): a COMPLIANT verdict given in the grace for a first delivery must be judged again within the hour. Unset expectedDeliveryWindowAge for a slower schedule.`,
        ),
      );
    },
  );

  it('sets both rule parameters for a central rule Lambda and leaves the permission to its account', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const template = ruleTemplate({
      ruleName: 'org-trails',
      maximumExecutionFrequency: 'One_Hour',
      expectedDeliveryWindowAge: 12,
      executionRoleName: 'cloudtrail-logs-guard-execution',
      grantConfigInvoke: false,
    });
    const [, rule] = onlyResource(template, 'AWS::Config::ConfigRule');
    expect(rule.Properties).toMatchObject({
      ConfigRuleName: 'org-trails',
      MaximumExecutionFrequency: 'One_Hour',
      InputParameters: {
        expectedDeliveryWindowAge: '12',
        ExecutionRoleName: 'cloudtrail-logs-guard-execution',
      },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 0);
    expect(rule.DependsOn).toBeUndefined();
  });
});

describe('RuleRemediation', () => {
  it('passes only the KMS key it was given and no attempt bounds when manual', () => {
    const stack = new Stack();
    new RuleRemediation(stack, 'Remediation', {
      configRuleName: 'rule',
      documentName: 'document',
      automationRoleArn: 'arn:aws:iam::111122223333:role/automation',
      retentionDays: 90,
    });
    const [, remediation] = onlyResource(Template.fromStack(stack), 'AWS::Config::RemediationConfiguration');
    expect(remediation.Properties).toEqual({
      ConfigRuleName: 'rule',
      ResourceType: 'AWS::CloudTrail::Trail',
      TargetType: 'SSM_DOCUMENT',
      TargetId: 'document',
      Automatic: false,
      Parameters: {
        AutomationAssumeRole: { StaticValue: { Values: ['arn:aws:iam::111122223333:role/automation'] } },
        TrailName: { ResourceValue: { Value: 'RESOURCE_ID' } },
        RetentionInDays: { StaticValue: { Values: ['90'] } },
      },
    });
  });
});

describe('Lambda permissions are in place before the functions can run', () => {
  it.each(['RuleFunction', 'RemediationFunction'] as const)(
    '%s depends on its permissions policy',
    { timeout: SYNTH_TIMEOUT_MS },
    (name) => {
      const { stack, template } = synthGuard();
      const construct = stack[name === 'RuleFunction' ? 'ruleFunction' : 'remediationFunction'];
      const policyId = stack.getLogicalId(construct.policy.node.defaultChild as CfnElement);
      const functionId = stack.getLogicalId(construct.guard.function.node.defaultChild as CfnElement);
      expect(template.toJSON().Resources[functionId].DependsOn).toContain(policyId);
    },
  );
});
