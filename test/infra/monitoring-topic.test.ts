import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT_MS, synthGuard } from './support.js';

describe('GuardStack with context monitoring', () => {
  it('creates no topic, key or monitoring setting by default', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { template } = synthGuard();
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    const [remediation] = Object.values(template.findResources('AWS::Config::RemediationConfiguration'));
    expect(Object.keys(remediation?.Properties.Parameters ?? {})).not.toContain('Monitoring');
  });

  it('creates a KMS-encrypted topic only CloudWatch of this account may publish to', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ monitoring: 'true' });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloudWatchAlarmsOfThisAccountEncryptForTheTopic',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'CloudWatchAlarmsOfThisAccountPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: Match.stringLikeRegexp('^MonitoringTopic') },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
  });

  it('tells the remediation Lambda the topic and turns Monitoring on in the remediation', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ monitoring: 'true' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MONITORING_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^MonitoringTopic') },
        }),
      },
    });
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      Parameters: Match.objectLike({ Monitoring: { StaticValue: { Values: ['true'] } } }),
    });
    template.hasOutput('MonitoringTopicArn', {});
  });
});
