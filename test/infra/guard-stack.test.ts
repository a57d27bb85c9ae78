import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAutomationDocument } from '../../remediation/automation-document.js';
import { UPDATE_TRAIL_RETRY_BOUND_MS } from '../../remediation/definition.js';
import { onlyResource, resourcesOf, SYNTH_TIMEOUT_MS, synthGuard } from './support.js';

// Each synthesis runs CloudFormation's template validation (a WASM engine): a few seconds each.

const KMS_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function logicalIdOf(template: Template, type: string, description: string): string {
  return onlyResource(template, type, { Properties: { Description: description } })[0];
}

const RULE_DESCRIPTION = 'AWS Config custom rule: is each CloudTrail trail integrated with CloudWatch Logs?';
const REMEDIATION_DESCRIPTION =
  'Integrates a CloudTrail trail with CloudWatch Logs (invoked by the SSM Automation document).';

describe('GuardStack with default context', () => {
  let template: Template;
  beforeAll(() => {
    template = synthGuard().template;
  }, SYNTH_TIMEOUT_MS);

  it('deploys exactly two functions, a rule, a document, a remediation configuration and two log groups', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::Config::ConfigRule', 1);
    template.resourceCountIs('AWS::SSM::Document', 1);
    template.resourceCountIs('AWS::Config::RemediationConfiguration', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.resourceCountIs('AWS::IAM::Role', 3);
  });

  it.each([
    ['rule', RULE_DESCRIPTION, 30],
    ['remediation', REMEDIATION_DESCRIPTION, UPDATE_TRAIL_RETRY_BOUND_MS / 1000 + 60],
  ])(
    'runs the %s Lambda on Node.js 22, ARM64, without runtime source maps, with its own log group',
    (_name, description, timeout) => {
      const [, fn] = onlyResource(template, 'AWS::Lambda::Function', {
        Properties: { Description: description },
      });
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: timeout,
        LoggingConfig: {
          LogFormat: 'JSON',
          ApplicationLogLevel: 'INFO',
          LogGroup: { Ref: expect.stringMatching(/LogGroup/) },
        },
      });
      // Reserved concurrency is the organization hub's (hubRuleConcurrency, hubRemediationConcurrency) only.
      expect(fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
      // --enable-source-maps made the rule's cold import about a third slower (docs/performance.md).
      expect(JSON.stringify(fn.Properties.Environment ?? {})).not.toContain('NODE_OPTIONS');
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(template.toJSON().Resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
      });
    },
  );

  it('gives the remediation Lambda a timeout longer than the UpdateTrail retry bound', () => {
    const [, fn] = onlyResource(template, 'AWS::Lambda::Function', {
      Properties: { Description: REMEDIATION_DESCRIPTION },
    });
    expect(Number(fn.Properties.Timeout) * 1000).toBeGreaterThan(UPDATE_TRAIL_RETRY_BOUND_MS);
  });

  it('attaches no managed policy to any role', () => {
    for (const [, role] of resourcesOf(template, 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('creates the Config rule for trails with change and hourly periodic triggers (the 24-hour window is on, so no grace verdict outlives its grace)', () => {
    const ruleFunction = logicalIdOf(template, 'AWS::Lambda::Function', RULE_DESCRIPTION);
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'cloudtrail-cloudwatch-logs-integrated',
      Scope: { ComplianceResourceTypes: ['AWS::CloudTrail::Trail'] },
      MaximumExecutionFrequency: 'One_Hour',
      InputParameters: { expectedDeliveryWindowAge: '24' },
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': [ruleFunction, 'Arn'] },
        SourceDetails: [
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
          {
            EventSource: 'aws.config',
            MessageType: 'ScheduledNotification',
            MaximumExecutionFrequency: 'One_Hour',
          },
        ],
      },
    });
  });

  it('lets only AWS Config of this account invoke the rule Lambda, before the rule is created', () => {
    const ruleFunction = logicalIdOf(template, 'AWS::Lambda::Function', RULE_DESCRIPTION);
    const [permissionId, permission] = onlyResource(template, 'AWS::Lambda::Permission');
    expect(permission.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ruleFunction, 'Arn'] },
      Principal: 'config.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    const [, rule] = onlyResource(template, 'AWS::Config::ConfigRule');
    expect(rule.DependsOn).toContain(permissionId);
  });

  it('deploys the Automation document built by remediation/automation-document.ts for the remediation Lambda', () => {
    const remediationFunction = logicalIdOf(template, 'AWS::Lambda::Function', REMEDIATION_DESCRIPTION);
    const [, document] = onlyResource(template, 'AWS::SSM::Document');
    expect(document.Properties).toEqual({
      DocumentType: 'Automation',
      DocumentFormat: 'JSON',
      UpdateMethod: 'NewVersion',
      Content: buildAutomationDocument({ Ref: remediationFunction } as unknown as string),
    });
  });

  it('lets only SSM Automation of this account assume the automation role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'ssm.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });

  it('binds the document to the rule for manual remediation, TrailName <- RESOURCE_ID', () => {
    const [, remediation] = onlyResource(template, 'AWS::Config::RemediationConfiguration');
    const [ruleId] = onlyResource(template, 'AWS::Config::ConfigRule');
    const [documentId] = onlyResource(template, 'AWS::SSM::Document');
    const [roleId] = onlyResource(template, 'AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'ssm.amazonaws.com' } })],
        },
      },
    });
    expect(remediation.Properties).toEqual({
      ConfigRuleName: { Ref: ruleId },
      ResourceType: 'AWS::CloudTrail::Trail',
      TargetType: 'SSM_DOCUMENT',
      TargetId: { Ref: documentId },
      Automatic: false,
      Parameters: {
        AutomationAssumeRole: { StaticValue: { Values: [{ 'Fn::GetAtt': [roleId, 'Arn'] }] } },
        TrailName: { ResourceValue: { Value: 'RESOURCE_ID' } },
        RetentionInDays: { StaticValue: { Values: ['365'] } },
      },
    });
  });

  it('outputs the rule and document names and the automation role', () => {
    const [ruleId] = onlyResource(template, 'AWS::Config::ConfigRule');
    const [documentId] = onlyResource(template, 'AWS::SSM::Document');
    const [roleId] = onlyResource(template, 'AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'ssm.amazonaws.com' } })],
        },
      },
    });
    template.hasOutput('ConfigRuleName', { Value: { Ref: ruleId } });
    template.hasOutput('RemediationDocumentName', { Value: { Ref: documentId } });
    template.hasOutput('AutomationRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });
});

describe('GuardStack with context', () => {
  it('applies every context key', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { stack, template } = synthGuard({
      namePrefix: 'acme',
      retentionDays: '731',
      kmsKeyArn: KMS_ARN,
      ruleSchedule: 'One_Hour',
      expectedDeliveryWindowAge: '6',
      autoRemediate: 'true',
      remediationMaxAttempts: '3',
      remediationRetrySeconds: '300',
    });
    expect(stack.stackName).toBe('acme-cloudtrail-logs-guard');
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'acme-cloudtrail-cloudwatch-logs-integrated',
      MaximumExecutionFrequency: 'One_Hour',
      InputParameters: { expectedDeliveryWindowAge: '6' },
      Source: {
        SourceDetails: Match.arrayWith([
          {
            EventSource: 'aws.config',
            MessageType: 'ScheduledNotification',
            MaximumExecutionFrequency: 'One_Hour',
          },
        ]),
      },
    });
    for (const [, logGroup] of resourcesOf(template, 'AWS::Logs::LogGroup')) {
      expect(logGroup.Properties.RetentionInDays).toBe(731);
    }
    const [, remediation] = onlyResource(template, 'AWS::Config::RemediationConfiguration');
    expect(remediation.Properties).toMatchObject({
      Automatic: true,
      MaximumAutomaticAttempts: 3,
      RetryAttemptSeconds: 300,
      Parameters: {
        RetentionInDays: { StaticValue: { Values: ['731'] } },
        KmsKeyArn: { StaticValue: { Values: [KMS_ARN] } },
      },
    });
  });

  it('omits the rule parameter and runs daily when the delivery check is off', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ expectedDeliveryWindowAge: 'off' });
    const [, rule] = onlyResource(template, 'AWS::Config::ConfigRule');
    expect(rule.Properties.InputParameters).toBeUndefined();
    expect(rule.Properties.MaximumExecutionFrequency).toBe('TwentyFour_Hours');
  });

  it('sets the application log level of both Lambdas from the logLevel context', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ logLevel: 'DEBUG' });
    const levels = resourcesOf(template, 'AWS::Lambda::Function').map(
      ([, fn]) => (fn.Properties.LoggingConfig as { ApplicationLogLevel?: string }).ApplicationLogLevel,
    );
    expect(levels).toEqual(['DEBUG', 'DEBUG']);
  });

  it('remediates automatically with the default bounds', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { template } = synthGuard({ autoRemediate: true });
    const [, remediation] = onlyResource(template, 'AWS::Config::RemediationConfiguration');
    expect(remediation.Properties).toMatchObject({
      Automatic: true,
      MaximumAutomaticAttempts: 5,
      RetryAttemptSeconds: 60,
    });
    expect(remediation.Properties.Parameters).not.toHaveProperty('KmsKeyArn');
  });

  it('keeps manual remediation free of attempt bounds even when they are set', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ remediationMaxAttempts: 3 });
    const [, remediation] = onlyResource(template, 'AWS::Config::RemediationConfiguration');
    expect(remediation.Properties.Automatic).toBe(false);
    expect(remediation.Properties.MaximumAutomaticAttempts).toBeUndefined();
    expect(remediation.Properties.RetryAttemptSeconds).toBeUndefined();
  });
});
